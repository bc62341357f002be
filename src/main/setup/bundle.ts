// The organisation bundle: users, service accounts, groups and flows as one JSON document.
// The demo organisation is one; the policy import/export of later issues extends this schema.
import { z } from 'zod';
import { displayName, username } from '../../shared/contract';
import {
  ACCOUNT_ROLES,
  FLOW_ROLES,
  FLOW_TYPES,
  PRINCIPAL_KINDS,
  PRINCIPAL_STATUSES,
  SHARED_RESOURCES,
} from '../../shared/model';

const member = z.union([
  z.strictObject({ principal: username, role: z.enum(FLOW_ROLES) }),
  z.strictObject({ group: z.string().min(1), role: z.enum(FLOW_ROLES) }),
]);

export const bundleSchema = z.strictObject({
  version: z.literal(1),
  organisation: z.string().min(1),
  users: z.array(
    z.strictObject({
      username,
      displayName,
      kind: z.enum(PRINCIPAL_KINDS).exclude(['service']),
      status: z.enum(PRINCIPAL_STATUSES),
      roles: z.array(z.enum(ACCOUNT_ROLES)),
    }),
  ),
  serviceAccounts: z.array(
    z.strictObject({ username, displayName, sharedResources: z.array(z.enum(SHARED_RESOURCES)) }),
  ),
  groups: z.array(z.strictObject({ name: z.string().min(1), members: z.array(username) })),
  flows: z.array(
    z.strictObject({
      name: z.string().min(1),
      type: z.enum(FLOW_TYPES),
      members: z.array(member),
      impersonation: z.array(username),
    }),
  ),
});

export type Bundle = z.infer<typeof bundleSchema>;
