using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace LocalMemory.Browser.Tests;

/// <summary>The page in a real Chromium, against the installed localmem: its daemon, started by `localmem ui`.</summary>
public sealed class PageTests : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("localmem-ui-test-").FullName;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private string _base = "";

    public async Task InitializeAsync()
    {
        // A random port, so that test runs (and a localmem already running on this machine) never collide.
        await File.WriteAllTextAsync(Path.Combine(_home, "config.json"), """{"http": "127.0.0.1:0"}""");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Debian's Chromium as root in a sandbox, with nothing that reaches for the network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        _page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 640 } });
        var link = (await Run("ui", "--no-browser")).Trim();
        _base = link[..link.IndexOf("/ui/", StringComparison.Ordinal)];
        await _page.GotoAsync(link);
    }

    [Fact]
    public async Task Search_finds_a_memory_and_shows_why_it_ranked()
    {
        await Run("add", "Releases are cut from the main branch every Tuesday", "--global");
        await Run("add", "The billing service is written in Go", "--global");
        await _page.GotoAsync(_base + "/ui/");
        await _page.GetByLabel("Search memories").FillAsync("When do we ship releases?");
        await _page.GetByLabel("Search memories").PressAsync("Enter");
        var first = _page.Locator("tbody tr").First;
        Assert.Contains("Releases are cut from the main branch every Tuesday", await first.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["#", "Memory", "Fused", "Similarity", "Vector", "Keyword", "BM25", "Context", "Time", "Project", "App"], await _page.Locator("thead th").AllInnerTextsAsync());
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("ui-search.png") });
    }

    [Fact]
    public async Task Editing_a_memory_changes_it_and_its_history_shows_the_old_text()
    {
        var id = await Add("Staging deploys need one approval");
        await _page.GotoAsync($"{_base}/ui/memory/{id}?user=dev");
        await _page.GetByLabel("Text").FillAsync("Staging deploys need two approvals");
        var saved = await _page.RunAndWaitForResponseAsync(() => _page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync(), r => r.Request.Method == "POST");
        if (saved.Status != 303) Assert.Fail($"{saved.Status}: {await saved.TextAsync()}");
        await _page.WaitForLoadStateAsync();
        Assert.Equal("Staging deploys need two approvals", JsonDocument.Parse(await Run("get", id, "--json")).RootElement.GetProperty("memory").GetString());
        var change = _page.Locator("tbody tr", new() { HasText = "UPDATE" });
        Assert.Equal("Staging deploys need one approval", await change.Locator(".old").InnerTextAsync());
        Assert.Equal("Staging deploys need two approvals", await change.Locator(".new").InnerTextAsync());
    }

    [Fact]
    public async Task Deleting_a_memory_asks_first_then_removes_it()
    {
        var id = await Add("The old VPN endpoint is vpn1.example.internal");
        await _page.GotoAsync($"{_base}/ui/memory/{id}?user=dev");
        await _page.GetByRole(AriaRole.Link, new() { Name = "Delete…" }).ClickAsync();
        Assert.Contains("Delete this memory?", await _page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).FocusAsync();
        var deleted = await _page.RunAndWaitForResponseAsync(() => _page.Keyboard.PressAsync("Enter"), r => r.Request.Method == "POST"); // from the keyboard
        if (deleted.Status != 303) Assert.Fail($"{deleted.Status}: {await deleted.TextAsync()}");
        await _page.WaitForURLAsync("**/ui/memories?deleted=*");
        Assert.DoesNotContain("vpn1.example.internal", await _page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("does not exist", await Run(expectFailure: true, "get", id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_memory_that_looks_like_a_script_is_shown_as_text()
    {
        var dialogs = 0;
        _page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        var id = await Add("<script>alert(1)</script>");
        await _page.GotoAsync($"{_base}/ui/memories");
        Assert.Contains("<script>alert(1)</script>", await _page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await _page.GotoAsync($"{_base}/ui/memory/{id}?user=dev");
        Assert.Contains("<script>alert(1)</script>", await _page.Locator("main table").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await _page.Locator("main script").CountAsync());
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task A_request_without_the_token_gets_401()
    {
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(_base + "/ui/memories")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(_base + "/ui/login?token=guessed")).StatusCode);
    }

    [Fact]
    public async Task A_write_without_the_csrf_token_is_refused()
    {
        var id = await Add("Feature flags live in LaunchDarkly");
        // The browser's own session cookie, but a form that did not come from the page: no CSRF token.
        var response = await _page.Context.APIRequest.PostAsync($"{_base}/ui/memory/{id}?user=dev", new() { Form = _page.Context.APIRequest.CreateFormData().Set("text", "Feature flags live in a YAML file") });
        Assert.Equal(403, response.Status);
        var deleted = await _page.Context.APIRequest.PostAsync($"{_base}/ui/memory/{id}/delete?user=dev");
        Assert.Equal(403, deleted.Status);
        Assert.Equal("Feature flags live in LaunchDarkly", JsonDocument.Parse(await Run("get", id, "--json")).RootElement.GetProperty("memory").GetString());
    }

    private async Task<string> Add(string text) =>
        JsonDocument.Parse(await Run("add", text, "--global", "--json")).RootElement.GetProperty("results")[0].GetProperty("id").GetString()!;

    private Task<string> Run(params string[] args) => Run(false, args);

    /// <summary>Runs the installed localmem on this home; its stdout (or, when failure is expected, its stderr).</summary>
    private async Task<string> Run(bool expectFailure, params string[] args)
    {
        var info = new ProcessStartInfo(Exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["LOCALMEM_HOME"] = _home;
        info.Environment["LOCALMEM_USER_ID"] = "dev";
        info.Environment["LOCALMEM_DAEMON_IDLE_EXIT"] = "120s";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True((process.ExitCode != 0) == expectFailure, $"localmem {string.Join(' ', args)} exited {process.ExitCode}: {await error}");
        return expectFailure ? await error : await output;
    }

    private static string Exe => Environment.GetEnvironmentVariable("LOCALMEM_EXE") is { Length: > 0 } exe && File.Exists(exe) ? exe
        : throw new InvalidOperationException("LOCALMEM_EXE must name an installed localmem: ./install.sh --prefix /tmp/lm && LOCALMEM_EXE=/tmp/lm/bin/localmem dotnet test (./scripts/test.sh does this)");

    private static string Chromium => Environment.GetEnvironmentVariable("LOCALMEM_CHROMIUM") is { Length: > 0 } path ? path
        : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : throw new InvalidOperationException("the browser tests drive Debian's Chromium: install it with `apt-get install chromium` (./scripts/test.sh does, as root), or set LOCALMEM_CHROMIUM to a Chromium or Chrome executable");

    /// <summary>Where the README's screenshot goes: docs/ in the source tree these tests were built from.</summary>
    private static string Screenshot(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LocalMemory.sln"))) directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? Path.GetTempPath(), "docs", name);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await Run(false, "daemon", "stop");
        try { Directory.Delete(_home, recursive: true); }
        catch (IOException) { }
    }
}
