@echo off
rem Build the Windows app folder and its installer: dist\companion\ and dist\companion-setup-*.exe
rem
rem   packaging\windows\build.cmd
rem
rem Needs: a Python 3.11 with the app and PyInstaller (py -3.11 -m venv C:\pyi-venv, then
rem C:\pyi-venv\Scripts\pip install -c requirements\lock.txt . pyinstaller), 64-bit VLC 3 installed (or VLC_DIR set to
rem its folder) and Inno Setup 6.3 or later (iscc on PATH, or ISCC set to iscc.exe).
setlocal
set "ROOT=%~dp0..\.."
if not defined PYTHON set "PYTHON=python"
if not defined VLC_DIR set "VLC_DIR=%ProgramFiles%\VideoLAN\VLC"
if not defined ISCC set "ISCC=iscc"

pushd "%ROOT%" || exit /b 1
"%PYTHON%" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller packaging\pyinstaller\companion.spec || goto :failed

rem A plugin cache for the bundled copies: libvlc then starts without scanning every plugin.
if exist "dist\companion\_internal\vlc\plugins" if exist "%VLC_DIR%\vlc-cache-gen.exe" (
  "%VLC_DIR%\vlc-cache-gen.exe" "dist\companion\_internal\vlc\plugins" || goto :failed
)

"dist\companion\companion-cli.exe" --version || goto :failed
"%ISCC%" packaging\windows\companion.iss || goto :failed
popd
echo Built dist\companion and the installer in dist\
exit /b 0

:failed
popd
echo Build failed. 1>&2
exit /b 1
