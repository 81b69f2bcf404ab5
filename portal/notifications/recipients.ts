/**
 * Where notifications go (docs/cabinet.md, Settings): the phones the account holder set in
 * settings, else the phone registered with the applications. The outbox sends by this rule and
 * the settings screen shows it, so the two never disagree.
 */
export function notificationPhones(accountPhones: readonly string[], applicantPhone: string | null): string[] {
  if (accountPhones.length > 0) return [...accountPhones];
  return applicantPhone ? [compactPhone(applicantPhone)] : [];
}

/**
 * A registered phone in the form settings take (+7 and ten digits): older records are written
 * "+7 778 657 94 02" or "8 778 ...". Anything else is left as it is.
 */
function compactPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8')) ? `+7${digits.slice(1)}` : phone;
}
