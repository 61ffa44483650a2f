; Inno Setup 6.3 or later (the x64compatible architecture name is new in 6.3.0): a per-user
; installer for the one-folder build (dist\companion\). Not yet run on Windows by this project.
;
;   iscc packaging\windows\companion.iss
;   iscc /DAppVersion=0.2.0 /DDistDir=C:\build\dist\companion packaging\windows\companion.iss
;
; Per user: no administrator rights are needed (a shop PC's staff account often has none); the
; app goes to %LOCALAPPDATA%\Programs\Course companion and the .cpack file type is registered for
; this user only. Lessons, notes and progress live in the user's app-data folder and are kept on
; uninstall. The setup speaks Dutch or English, following the Windows display language.

#if VER < EncodeVer(6,3,0)
  #error Inno Setup 6.3 or later is needed (x64compatible)
#endif
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\companion"
#endif
#define AppName "Course companion"
#define AppExe "companion.exe"
#define PackProgId "Companion.LessonPack"

[Setup]
AppId={{C6FBDEF6-37A0-4E9E-8DA8-586A9FDC1B16}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Course companion contributors
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
OutputDir=..\..\dist
OutputBaseFilename=companion-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\app-icon.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
LanguageDetectionMethod=uilanguage
CloseApplications=yes

[Languages]
; Dutch first: it is the default when Windows speaks neither language.
Name: "nl"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
nl.AppComment=Korte videolessen en notities voor je winkel; werkt ook zonder internet
en.AppComment=Short video lessons and notes for your shop; works without internet
nl.PackFileType=Lespakket
en.PackFileType=Lesson pack

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An update replaces the bundled libraries and plugins as a whole: no stale file of an older
; version may stay behind in the folder Python and libvlc load from.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Registry]
; HKA is HKEY_CURRENT_USER in a per-user install. Double-clicking a .cpack starts the app with
; the file; a running app receives it from the second start and imports it.
Root: HKA; Subkey: "Software\Classes\.cpack"; ValueType: string; ValueName: ""; ValueData: "{#PackProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.cpack"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-companion-pack"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.cpack\OpenWithProgids"; ValueType: string; ValueName: "{#PackProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#PackProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:PackFileType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#PackProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"",0"
Root: HKA; Subkey: "Software\Classes\{#PackProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".cpack"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
