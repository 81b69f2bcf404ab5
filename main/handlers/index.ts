/** Every call's handler; the type makes a missing handler a compile error. */
import type { ContractCall } from '../../contract/contract.ts';
import { accountHandlers } from './account.ts';
import { appHandlers } from './app.ts';
import { applyHandlers } from './apply.ts';
import { authHandlers } from './auth.ts';
import { cabinetHandlers } from './cabinet.ts';
import { commissionHandlers } from './commission.ts';
import { documentsHandlers } from './documents.ts';
import { keysHandlers } from './keys.ts';
import { ncalayerHandlers } from './ncalayer.ts';
import { pmpkHandlers } from './pmpk.ts';
import { referralHandlers } from './referral.ts';
import { settingsHandlers } from './settings.ts';
import type { HandlerGroup } from './types.ts';
import { updateHandlers } from './updates.ts';

export type Handlers = HandlerGroup<ContractCall>;

export const handlers: Handlers = {
  ...appHandlers,
  ...settingsHandlers,
  ...keysHandlers,
  ...authHandlers,
  ...cabinetHandlers,
  ...referralHandlers,
  ...documentsHandlers,
  ...pmpkHandlers,
  ...accountHandlers,
  ...applyHandlers,
  ...ncalayerHandlers,
  ...updateHandlers,
  // The PMPK commission's view (#14)
  ...commissionHandlers,
};
