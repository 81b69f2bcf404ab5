/** A commission's or booking's name and address in the UI language (Kazakh for kk, Russian otherwise). */
import type { Language } from '../../../../contract/contract.ts';
import type { PmpkBooking, PmpkCommission } from '../../../../protocol/pmpk-api.ts';

export const commissionName = (c: PmpkCommission, language: Language) => (language === 'kk' ? c.nameKk : c.nameRu);
export const commissionAddress = (c: PmpkCommission, language: Language) => (language === 'kk' ? c.addressKk : c.addressRu);
export const bookingCommission = (b: PmpkBooking, language: Language) => (language === 'kk' ? b.commissionNameKk : b.commissionNameRu);
export const bookingAddress = (b: PmpkBooking, language: Language) => (language === 'kk' ? b.addressKk : b.addressRu);
