@echo off
rem The Fleetkeeper CLI from a packaged app: the app's Electron runs as plain Node.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Fleetkeeper.exe" "%~dp0..\app.asar.unpacked\bin\fleetkeeper.js" %*
exit /b %ERRORLEVEL%
