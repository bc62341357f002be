// Every section of a policy bundle, in the order they are planned and written: people before the groups
// and flows that name them. Each area owns its section; a new area adds its file and one line here.
import { organisationSection } from './organisation';
import { usersSection, groupsSection } from '../directory/bundle';
import { serviceAccountsSection } from '../serviceAccounts/bundle';
import { flowsSection } from '../flows/bundle';
import { integrationsSection } from '../integrations/bundle';
import { designObjectsSection, portalsSection } from '../portals/bundle';
import type { BundleSection, SectionKey } from './section';

type AnySection = { [K in SectionKey]: BundleSection<K> }[SectionKey];

export const BUNDLE_SECTIONS: readonly AnySection[] = [
  usersSection,
  serviceAccountsSection,
  groupsSection,
  flowsSection,
  integrationsSection,
  designObjectsSection,
  portalsSection,
  organisationSection,
];
