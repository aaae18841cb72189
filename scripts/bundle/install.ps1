#!/usr/bin/env pwsh
# Installs localmem from this bundle with no network (Windows; also runs under pwsh on Linux and macOS):
#   1. checks every file against its sha256 in SHA256SUMS, and that nothing else is in the bundle,
#   2. copies the program, the model and the sqlite-vec extension into PREFIX/lib/localmem and puts a launcher in
#      PREFIX/bin (localmem.cmd on Windows, a symbolic link elsewhere),
#   3. runs `localmem doctor`.
# Running it again replaces the install.
# Usage: ./install.ps1 [-Prefix DIR (default ~/.local)]
param([string]$Prefix = (Join-Path $HOME ".local"))
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot

function Fail([string]$message) { [Console]::Error.WriteLine("error: $message"); exit 1 }

if (-not (Test-Path SHA256SUMS)) { Fail "SHA256SUMS is missing from ${PSScriptRoot}: this is not a whole localmem bundle; copy the archive again and unpack it" }
$sums = Get-Content SHA256SUMS | Where-Object { $_ }
Write-Host "==> checking $($sums.Count) files against SHA256SUMS"
$listed = @{}
foreach ($line in $sums) {
    $sum, $path = $line -split '  ', 2
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { Fail "$path is missing from the bundle; copy the archive again and unpack it" }
    if ((Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash -ne $sum) { Fail "$path does not match its sha256 in SHA256SUMS (corrupt or changed); copy the archive again" }
    $listed[$path] = $true
}
$root = (Get-Location).Path
$extra = Get-ChildItem -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/') } |
    Where-Object { $_ -ne "SHA256SUMS" -and -not $listed.ContainsKey($_) }
if ($extra) { Fail "the bundle holds files that SHA256SUMS does not list: $($extra -join ' ') (added after it was made); copy the archive again" }

$isWin = $IsWindows -or $env:OS -eq "Windows_NT"
$lib = Join-Path $Prefix "lib/localmem"
$staging = Join-Path $Prefix "lib/.localmem-staging"   # the old install stays until the new one is in place
Write-Host "==> installing into $lib"
Remove-Item $staging -Recurse -Force -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force -Path $staging | Out-Null
Copy-Item -Path (Join-Path $root "lib/*") -Destination $staging -Recurse -Force
Remove-Item $lib -Recurse -Force -ErrorAction SilentlyContinue
Move-Item $staging $lib

$bin = Join-Path $Prefix "bin"
New-Item -ItemType Directory -Force -Path $bin | Out-Null
if ($isWin) {
    $launcher = Join-Path $bin "localmem.cmd"
    Set-Content -Path $launcher -Value "@`"$lib\localmem.exe`" %*" -Encoding ascii
} else {
    & chmod +x (Join-Path $lib "localmem")
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
