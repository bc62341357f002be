// The bundle's organisation label: a name for people reading the file, kept as a setting.
import { readSetting, writeSetting } from '../store/settings';
import type { BundleSection } from './section';

export const organisationSection: BundleSection<'organisation'> = {
  key: 'organisation',
  export: (db) => readSetting(db, 'organisation') || undefined,
  // A label, not policy: importing another one is not a change to review.
  plan: () => undefined,
  write(app, next) {
    if (next.organisation) writeSetting(app.db, 'organisation', next.organisation);
  },
};
