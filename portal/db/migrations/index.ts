/** Every migration, by name; Kysely runs them in name order. Add new ones at the end. */
import type { Migration } from 'kysely';
import * as m0001CoreDomain from './0001_core_domain.ts';
import { migration0002Http } from './0002_http.ts';
import * as m0003QueueOrderIndex from './0003_queue_order_index.ts';
import * as m0004BenefitConfirmation from './0004_benefit_confirmation.ts';
import * as m0005StaffSessions from './0005_staff_sessions.ts';
import * as m0006QueueNumbersIndex from './0006_queue_numbers_index.ts';
import * as m0007StaffVacanciesIndex from './0007_staff_vacancies_index.ts';
import * as m0008QueueTurns from './0008_queue_turns.ts';
import * as m0009CalendarYears from './0009_calendar_years.ts';
import * as m0010AdminSessions from './0010_admin_sessions.ts';
import * as m0011AuthLimits from './0011_auth_limits.ts';
import * as m0012OutboxSecrets from './0012_outbox_secrets.ts';
import * as m0013OneReferralOneDocument from './0013_one_referral_one_document.ts';
import * as m0014ApplicationWizard from './0014_application_wizard.ts';
import * as m0020Pmpk from './0020_pmpk.ts';
import * as m0030FeedReads from './0030_feed_reads.ts';
// #13: age groups and the August moves
import * as m0040AgeGroups from './0040_age_groups.ts';
// The wizard's one live application per child and queue kind (#14)
import * as m0050OneLiveApplicationPerKind from './0050_one_live_application_per_kind.ts';
// PMPK bookings before an application (#14)
import * as m0060PmpkWithoutApplication from './0060_pmpk_without_application.ts';
// Russian addresses of kindergartens (#10)
import * as m0070KindergartenRussianAddresses from './0070_kindergarten_russian_addresses.ts';
// Unused benefit proofs purged, named ones kept (#14)
import * as m0090BenefitProofApplication from './0090_benefit_proof_application.ts';

export const migrations: Record<string, Migration> = {
  '0001_core_domain': { up: m0001CoreDomain.up, down: m0001CoreDomain.down },
  '0002_http': migration0002Http,
  '0003_queue_order_index': { up: m0003QueueOrderIndex.up, down: m0003QueueOrderIndex.down },
  '0004_benefit_confirmation': { up: m0004BenefitConfirmation.up, down: m0004BenefitConfirmation.down },
  '0005_staff_sessions': { up: m0005StaffSessions.up, down: m0005StaffSessions.down },
  '0006_queue_numbers_index': { up: m0006QueueNumbersIndex.up, down: m0006QueueNumbersIndex.down },
  '0007_staff_vacancies_index': { up: m0007StaffVacanciesIndex.up, down: m0007StaffVacanciesIndex.down },
  '0008_queue_turns': { up: m0008QueueTurns.up, down: m0008QueueTurns.down },
  '0009_calendar_years': { up: m0009CalendarYears.up, down: m0009CalendarYears.down },
  '0010_admin_sessions': { up: m0010AdminSessions.up, down: m0010AdminSessions.down },
  '0011_auth_limits': { up: m0011AuthLimits.up, down: m0011AuthLimits.down },
  '0012_outbox_secrets': { up: m0012OutboxSecrets.up, down: m0012OutboxSecrets.down },
  '0013_one_referral_one_document': { up: m0013OneReferralOneDocument.up, down: m0013OneReferralOneDocument.down },
  '0014_application_wizard': { up: m0014ApplicationWizard.up, down: m0014ApplicationWizard.down },
  '0020_pmpk': { up: m0020Pmpk.up, down: m0020Pmpk.down },
  '0030_feed_reads': { up: m0030FeedReads.up, down: m0030FeedReads.down },
  // #13: age groups and the August moves
  '0040_age_groups': { up: m0040AgeGroups.up, down: m0040AgeGroups.down },
  // The wizard's one live application per child and queue kind (#14)
  '0050_one_live_application_per_kind': { up: m0050OneLiveApplicationPerKind.up, down: m0050OneLiveApplicationPerKind.down },
  // PMPK bookings before an application (#14)
  '0060_pmpk_without_application': { up: m0060PmpkWithoutApplication.up, down: m0060PmpkWithoutApplication.down },
  // Russian addresses of kindergartens (#10)
  '0070_kindergarten_russian_addresses': { up: m0070KindergartenRussianAddresses.up, down: m0070KindergartenRussianAddresses.down },
  // Unused benefit proofs purged, named ones kept (#14)
  '0090_benefit_proof_application': { up: m0090BenefitProofApplication.up, down: m0090BenefitProofApplication.down },
};
