; Included by electron-builder's NSIS installer (electron-builder.yml nsis.include).
; A per-machine install creates %ProgramData%\Joldama, the folder where an administrator may put the
; policy file (docs/kiosk.md, "Windows"), and locks it as the app requires: owner Administrators,
; inheritance removed, SYSTEM and Administrators full control, Users read. Left to %ProgramData%'s
; defaults, any user could create the folder and plant a policy there. A per-user install (no
; administrator rights) leaves it alone. Uninstalling keeps it: the policy is the administrator's.
; icacls /L acts on a link itself, never on its target: a junction planted in the folder's place is
; never followed by the elevated installer (the app refuses a linked folder, so it stays refused).
!macro customInstall
  ${if} $installMode == "all"
    SetShellVarContext all
    ; $APPDATA in the all-users context is %ProgramData%.
    CreateDirectory "$APPDATA\Joldama"
    nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$APPDATA\Joldama" /L /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
    Pop $0
    ${if} $0 != 0
      DetailPrint "Joldama: could not lock the permissions of $APPDATA\Joldama (icacls: $0); see docs/kiosk.md"
    ${endIf}
    nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$APPDATA\Joldama" /L /setowner *S-1-5-32-544'
    Pop $0
    ${if} $0 != 0
      DetailPrint "Joldama: could not make Administrators the owner of $APPDATA\Joldama (icacls: $0); see docs/kiosk.md"
    ${endIf}
  ${endIf}
!macroend
