/** A commission's or booking's name and address in the UI language (shared/place-names.ts). */
import type { Language } from '../../../../contract/contract.ts';
import type { PmpkBooking, PmpkCommission } from '../../../../protocol/pmpk-api.ts';
import { inUiLanguage } from '../../shared/place-names.ts';

export const commissionName = (c: PmpkCommission, language: Language) => inUiLanguage(language, c.nameKk, c.nameRu);
export const commissionAddress = (c: PmpkCommission, language: Language) => inUiLanguage(language, c.addressKk, c.addressRu);
export const bookingCommission = (b: PmpkBooking, language: Language) => inUiLanguage(language, b.commissionNameKk, b.commissionNameRu);
export const bookingAddress = (b: PmpkBooking, language: Language) => inUiLanguage(language, b.addressKk, b.addressRu);
