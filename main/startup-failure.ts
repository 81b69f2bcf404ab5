/**
 * What the error box says when the app refuses to start (before any window or language choice):
 * the code, what to do in Kazakh, Russian and English, and the reason (a path and the fields at
 * fault, never a secret). Policy failures are the administrator's to fix (docs/kiosk.md).
 */
const ADVICE: Readonly<Record<string, readonly [kk: string, ru: string, en: string]>> = {
  POLICY_INVALID: [
    'Әкімші саясатын оқу мүмкін емес немесе ол жарамсыз. Әкімшіге хабарласыңыз.',
    'Политику администратора не удаётся прочитать или она неверна. Обратитесь к администратору.',
    "The administrator's policy cannot be read or is not valid. Ask the administrator to correct it.",
  ],
  POLICY_INSECURE: [
    'Әкімші саясатын әкімшіден басқа адам өзгерте алады, сондықтан ол қолданылмайды. Әкімшіге хабарласыңыз.',
    'Политику администратора может изменить не только администратор, поэтому она не применяется. Обратитесь к администратору.',
    "Someone other than an administrator could have changed the administrator's policy, so it is not used. Ask the administrator to fix its owner and permissions.",
  ],
  INSTALLER_CONFIG_INVALID: [
    'Орнату баптауы (config.json) жарамсыз. Бағдарламаны қайта орнатыңыз.',
    'Настройка установки (config.json) неверна. Переустановите программу.',
    "The installation's configuration (config.json) is not valid. Reinstall the app.",
  ],
  PORTAL_ADDRESS_REFUSED: [
    'Порталдың мекенжайы қабылданбады (тек https). Әкімшіге хабарласыңыз.',
    'Адрес портала отклонён (только https). Обратитесь к администратору.',
    "The portal's address was refused (https only). Ask the administrator.",
  ],
};
const FALLBACK = ['Joldama іске қосылмады.', 'Joldama не удалось запустить.', 'Joldama could not start.'] as const;

export function startupFailureText(e: unknown): string {
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'INTERNAL_ERROR';
  const advice = ADVICE[code] ?? FALLBACK;
  // The reason only for our own refusals: an unexpected error's message could hold anything.
  const reason = ADVICE[code] && e instanceof Error ? `\n\n${e.message}` : '';
  return `Joldama cannot start (${code}).\n\n${advice.join('\n\n')}${reason}`;
}
