import { create } from 'zustand';
import { api } from '../api';
import type { AccountRole, Principal, PrincipalActions, PrincipalKind, PrincipalStatus } from '../../../shared/model';

export interface DirectoryFilter {
  search: string;
  kind: PrincipalKind | '';
  status: PrincipalStatus | '';
  role: AccountRole | '';
  emptyDisplayName: boolean;
}

export const PAGE_SIZE = 25;

interface DirectoryState {
  filter: DirectoryFilter;
  rows: Principal[];
  /** Main's answer, with the rows, to what the operator may do to each (by username). */
  allowed: Record<string, PrincipalActions>;
  total: number;
  /** Cursors of the pages shown so far: [0] is the first page (undefined), the last is the current. */
  cursors: (string | undefined)[];
  next: string | null;
  loading: boolean;
  error: string | null;
  setFilter(patch: Partial<DirectoryFilter>): Promise<void>;
  load(cursor?: string, history?: (string | undefined)[]): Promise<void>;
  nextPage(): Promise<void>;
  previousPage(): Promise<void>;
}

export const useDirectory = create<DirectoryState>((set, get) => ({
  filter: { search: '', kind: '', status: '', role: '', emptyDisplayName: false },
  rows: [],
  allowed: {},
  total: 0,
  cursors: [undefined],
  next: null,
  loading: false,
  error: null,
  async setFilter(patch) {
    set({ filter: { ...get().filter, ...patch } });
    await get().load(undefined, [undefined]);
  },
  async load(cursor, history = get().cursors) {
    const f = get().filter;
    set({ loading: true });
    const result = await api['directory.list']({
      limit: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
      ...(f.search.trim() ? { search: f.search.trim() } : {}),
      ...(f.kind ? { kind: f.kind } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.role ? { role: f.role } : {}),
      ...(f.emptyDisplayName ? { emptyDisplayName: true } : {}),
    });
    if (result.ok) {
      set({ ...result.value, cursors: history, loading: false, error: null });
    } else {
      set({ loading: false, error: result.error.message });
    }
  },
  async nextPage() {
    const { next, cursors } = get();
    if (next) await get().load(next, [...cursors, next]);
  },
  async previousPage() {
    const cursors = get().cursors.slice(0, -1);
    if (cursors.length) await get().load(cursors.at(-1), cursors);
  },
}));
