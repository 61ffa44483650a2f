@echo off
rem Start the Course companion from a USB stick (or any folder) with everything kept beside it.
rem
rem Layout, all in one folder:
rem   companion-portable.cmd   this launcher
rem   companion-windows\       the Windows one-folder build (dist\companion, renamed)
rem   companion-home\          lessons, notes, progress and settings; made on the first start
rem
rem Without arguments, or with .cpack files (dropped on this launcher), the app opens without a
rem console. Other arguments are a command for the console version, whose output then shows:
rem   companion-portable.cmd pack import packs
setlocal
set "HERE=%~dp0"
set "COMPANION_HOME=%HERE%companion-home"
set "GUI=%HERE%companion-windows\companion.exe"
set "CLI=%HERE%companion-windows\companion-cli.exe"
if not exist "%GUI%" goto :missing
if "%~1"=="" goto :gui
if /i "%~x1"==".cpack" goto :gui
"%CLI%" %*
exit /b %ERRORLEVEL%

:gui
start "" "%GUI%" %*
exit /b 0

:missing
echo companion-portable: "%GUI%" not found; copy the Windows build there as companion-windows 1>&2
exit /b 1
