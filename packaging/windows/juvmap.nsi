; juvmap installer for Windows (NSIS 3, Unicode, per-user: no administrator rights needed).
;
; Build on Windows, after PyInstaller has made dist\juvmap\ (see packaging\README.md):
;   makensis /DVERSION=0.1.0 packaging\windows\juvmap.nsi
; -> dist\juvmap-0.1.0-setup.exe
;
; Options: /DSRCDIR=<bundle folder> (default ..\..\dist\juvmap), /DOUTFILE=<setup.exe>,
; /DICON=<.ico> (default ..\..\build\juvmap.ico, written by juvmap.spec on Windows),
; /DPYTHON=<python.exe> and /DLANGDIR=<folder> (used only when NSIS has no Kazakh language:
; kazakh_language.py writes one there, see that file).
; Installer strings: kk, ru, en (LangString below; every id has all three).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

!define /ifndef VERSION "0.1.0"
!define /ifndef SRCDIR "..\..\dist\juvmap"
!define /ifndef OUTFILE "..\..\dist\juvmap-${VERSION}-setup.exe"
!define /ifndef PYTHON "python"
!define /ifndef LANGDIR "build/lang"
!define APPNAME "juvmap"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\juvmap"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\juvmap"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
RequestExecutionLevel user
BrandingText "juvmap ${VERSION}"

!define /ifndef ICON "..\..\build\juvmap.ico"
!if /FileExists "${ICON}"
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "Software\juvmap\installer"
!define MUI_LANGDLL_REGISTRY_VALUENAME "Language"

!define MUI_WELCOMEPAGE_TEXT "$(WelcomeText)"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${SRCDIR}\licenses\README.md"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\juvmap.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Kazakh first: the language dialog preselects the system language, else the first one.
!if /FileExists "${NSISDIR}\Contrib\Language files\Kazakh.nlf"
  !insertmacro MUI_LANGUAGE "Kazakh"
!else
  !system '"${PYTHON}" "kazakh_language.py" "${NSISDIR}" "${LANGDIR}"' = 0
  !insertmacro MUI_LANGUAGEEX "${LANGDIR}" "Kazakh"
!endif
!insertmacro MUI_LANGUAGE "Russian"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString WelcomeText ${LANG_KAZAKH} "Орнату бағдарламасы juvmap ${VERSION} қолданбасын компьютеріңізге орнатады.$\r$\n$\r$\njuvmap интернетсіз жұмыс істейді: карталар мен деректер бірге орнатылады.$\r$\n$\r$\n$_CLICK"
LangString WelcomeText ${LANG_RUSSIAN} "Программа установит juvmap ${VERSION} на ваш компьютер.$\r$\n$\r$\njuvmap работает без интернета: карты и данные устанавливаются вместе с ним.$\r$\n$\r$\n$_CLICK"
LangString WelcomeText ${LANG_ENGLISH} "Setup will install juvmap ${VERSION} on your computer.$\r$\n$\r$\njuvmap works without the internet: its maps and data are installed with it.$\r$\n$\r$\n$_CLICK"

LangString AppComment ${LANG_KAZAKH} "Қазақстандағы кәмелетке толмағандар қылмысының криминологиялық картасы"
LangString AppComment ${LANG_RUSSIAN} "Криминологическая карта преступности несовершеннолетних Казахстана"
LangString AppComment ${LANG_ENGLISH} "Criminological map of juvenile delinquency of Kazakhstan"

LangString SecApp ${LANG_KAZAKH} "juvmap (міндетті)"
LangString SecApp ${LANG_RUSSIAN} "juvmap (обязательно)"
LangString SecApp ${LANG_ENGLISH} "juvmap (required)"

LangString SecAppDesc ${LANG_KAZAKH} "Кірістірілген деректері мен офлайн карталары бар бағдарлама."
LangString SecAppDesc ${LANG_RUSSIAN} "Программа со встроенными данными и офлайн-картами."
LangString SecAppDesc ${LANG_ENGLISH} "The program with its built-in data and offline maps."

LangString SecStartMenu ${LANG_KAZAKH} "«Бастау» мәзіріндегі таңбашалар"
LangString SecStartMenu ${LANG_RUSSIAN} "Ярлыки в меню «Пуск»"
LangString SecStartMenu ${LANG_ENGLISH} "Start menu shortcuts"

LangString SecStartMenuDesc ${LANG_KAZAKH} "juvmap, лицензиялар және жою бағдарламасының таңбашалары."
LangString SecStartMenuDesc ${LANG_RUSSIAN} "Ярлыки juvmap, лицензий и программы удаления."
LangString SecStartMenuDesc ${LANG_ENGLISH} "Shortcuts to juvmap, its licences and the uninstaller."

LangString SecDesktop ${LANG_KAZAKH} "Жұмыс үстеліндегі таңбаша"
LangString SecDesktop ${LANG_RUSSIAN} "Ярлык на рабочем столе"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"

LangString SecDesktopDesc ${LANG_KAZAKH} "Жұмыс үстеліне juvmap таңбашасын қою."
LangString SecDesktopDesc ${LANG_RUSSIAN} "Поместить ярлык juvmap на рабочий стол."
LangString SecDesktopDesc ${LANG_ENGLISH} "Put a juvmap shortcut on the desktop."

LangString ShortcutLicences ${LANG_KAZAKH} "juvmap лицензиялары"
LangString ShortcutLicences ${LANG_RUSSIAN} "Лицензии juvmap"
LangString ShortcutLicences ${LANG_ENGLISH} "juvmap licences"

LangString ShortcutUninstall ${LANG_KAZAKH} "juvmap бағдарламасын жою"
LangString ShortcutUninstall ${LANG_RUSSIAN} "Удалить juvmap"
LangString ShortcutUninstall ${LANG_ENGLISH} "Uninstall juvmap"

LangString NeedsWindows ${LANG_KAZAKH} "juvmap үшін 64 биттік Windows 10 немесе одан жаңа нұсқасы қажет."
LangString NeedsWindows ${LANG_RUSSIAN} "Для juvmap нужна 64-разрядная Windows 10 или новее."
LangString NeedsWindows ${LANG_ENGLISH} "juvmap needs 64-bit Windows 10 or later."

LangString RemoveUserData ${LANG_KAZAKH} "juvmap баптаулары мен кэш файлдары да жойылсын ба?"
LangString RemoveUserData ${LANG_RUSSIAN} "Удалить также настройки и кэш juvmap?"
LangString RemoveUserData ${LANG_ENGLISH} "Also delete juvmap's settings and cached files?"

Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "$(NeedsWindows)"
    Abort
  ${EndIf}
  SetRegView 64
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "!$(SecApp)" SecAppId
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; an update must not keep libraries of the previous version
  RMDir /r "$INSTDIR\_internal"
  RMDir /r "$INSTDIR\licenses"
  File "${SRCDIR}\juvmap.exe"
  File "${SRCDIR}\juvmap-cli.exe"
  File "${SRCDIR}\VERSION"
  File /r "${SRCDIR}\_internal"
  File /r "${SRCDIR}\licenses"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "juvmap"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Comments" "$(AppComment)"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "juvmap"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\juvmap.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecStartMenu)" SecStartMenuId
  CreateDirectory "$SMPROGRAMS\juvmap"
  CreateShortcut "$SMPROGRAMS\juvmap\juvmap.lnk" "$INSTDIR\juvmap.exe" "" "$INSTDIR\juvmap.exe" 0 SW_SHOWNORMAL "" "$(AppComment)"
  CreateShortcut "$SMPROGRAMS\juvmap\$(ShortcutLicences).lnk" "$INSTDIR\licenses\README.md"
  CreateShortcut "$SMPROGRAMS\juvmap\$(ShortcutUninstall).lnk" "$INSTDIR\uninstall.exe"
SectionEnd

Section /o "$(SecDesktop)" SecDesktopId
  CreateShortcut "$DESKTOP\juvmap.lnk" "$INSTDIR\juvmap.exe" "" "$INSTDIR\juvmap.exe" 0 SW_SHOWNORMAL "" "$(AppComment)"
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAppId} "$(SecAppDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecStartMenuId} "$(SecStartMenuDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktopId} "$(SecDesktopDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  ; only what the installer put there: never a recursive delete of $INSTDIR itself
  Delete "$INSTDIR\juvmap.exe"
  Delete "$INSTDIR\juvmap-cli.exe"
  Delete "$INSTDIR\VERSION"
  RMDir /r "$INSTDIR\_internal"
  RMDir /r "$INSTDIR\licenses"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  RMDir /r "$SMPROGRAMS\juvmap"
  Delete "$DESKTOP\juvmap.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\juvmap\installer"
  ${IfNot} ${Silent}
    MessageBox MB_YESNO|MB_ICONQUESTION "$(RemoveUserData)" IDNO done
    RMDir /r "$LOCALAPPDATA\juvmap"
    DeleteRegKey HKCU "Software\juvmap"
  done:
  ${EndIf}
SectionEnd
