// What the Record Deletion Log holds, declared by the areas themselves: each area adds the kinds of thing
// it deletes (`Snapshots`) and the kinds of grant it owns (`GrantKinds`) to these interfaces from its own
// file (`declare module '../deletions/snapshots'`), so a new area extends them without editing this one.
/* eslint-disable @typescript-eslint/no-empty-object-type -- filled in by declaration merging, area by area */

/** Each kind of deletion → what its snapshot holds. */
export interface Snapshots {
  /** Grants removed on their own, e.g. a flow member removed or impersonation access revoked. */
  grants: { grants: Grant[] };
}

/** Each kind of grant → its fields (besides `type`). */
export interface GrantKinds {}

/** One grant that ties principals, groups and flows together, in the one shape every snapshot uses. */
export type Grant = { [T in keyof GrantKinds]: { type: T } & GrantKinds[T] }[keyof GrantKinds];
export type GrantOf<T extends keyof GrantKinds> = Extract<Grant, { type: T }>;

export type SnapshotKind = keyof Snapshots;

export interface DeletionDetails<K extends SnapshotKind = SnapshotKind> {
  deleted: K;
  snapshot: Snapshots[K];
}
