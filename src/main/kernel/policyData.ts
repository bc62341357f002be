// The plain data decide() runs over: a snapshot of the directory, indexed for O(1) look-ups.
import type {
  AccountRole,
  FlowRole,
  FlowType,
  PrincipalKind,
  PrincipalStatus,
  SharedResource,
} from '../../shared/model';

export interface PolicyPrincipal {
  username: string;
  kind: PrincipalKind;
  status: PrincipalStatus;
  roles: readonly AccountRole[];
}

export interface PolicyFlow {
  name: string;
  type: FlowType;
  /** Direct members: principal username → flow role. */
  members: ReadonlyMap<string, FlowRole>;
  /** Groups that are members: group name → flow role. */
  groupRoles: ReadonlyMap<string, FlowRole>;
  /** Service accounts with impersonation access to this flow. */
  impersonation: ReadonlySet<string>;
}

export interface PolicyData {
  principals: ReadonlyMap<string, PolicyPrincipal>;
  /** principal username → the groups they belong to. */
  groupsOf: ReadonlyMap<string, readonly string[]>;
  flows: ReadonlyMap<string, PolicyFlow>;
  /** service-account username → its shared-resource grants. */
  sharedGrants: ReadonlyMap<string, ReadonlySet<SharedResource>>;
}
