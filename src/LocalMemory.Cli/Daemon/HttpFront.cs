using System.Net;
using System.Security.Cryptography;
using LocalMemory.Cli.Mcp;
using LocalMemory.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LocalMemory.Cli.Daemon;

/// <summary>The daemon's loopback HTTP listener: MCP's Streamable HTTP transport at /mcp, for clients configured by URL,
/// and the page at /ui (see <see cref="Ui.UiEndpoints"/>).</summary>
/// <remarks>Every request needs a Host header naming this listener and, if it has one, an Origin of this listener (a web
/// page elsewhere cannot reach it through DNS rebinding); no CORS headers are ever sent. /mcp needs the bearer token
/// kept in run/http.token (0600); /ui needs that or the page's session cookie. It binds a non-loopback address only
/// when config.json names it.</remarks>
internal sealed class HttpFront : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _addressFile;

    private HttpFront(WebApplication app, string url, string addressFile)
    {
        _app = app;
        Url = url;
        _addressFile = addressFile;
    }

    public string Url { get; }

    public static async Task<HttpFront> StartAsync(string address, bool fromConfig, DaemonPaths paths, Engine engine, Ui.UiSessions sessions, CancellationToken cancellationToken)
    {
        var endpoint = Check(address, fromConfig);
        var token = Token(paths);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        Logs.ToStandardError(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
        builder.Services.AddSingleton<IServiceSource>(engine);
        builder.Services.AddSingleton<Sessions>();
        // Stateful: a session keeps its client's name (the app_id of what it writes) and can ask for its roots.
        builder.Services.AddMcpServer().WithHttpTransport(o => o.Stateless = false).AddLocalmem();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType && context.Request.Path.StartsWithSegments("/ui", StringComparison.Ordinal))
                await context.Request.ReadFormAsync(context.RequestAborted); // read once, asynchronously, for the CSRF check and the page
            if (Refusal(context.Request, context.Connection.LocalPort, token, sessions) is { } refusal)
            {
                context.Response.StatusCode = refusal.Status;
                if (refusal.Status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer";
                await context.Response.WriteAsync(refusal.Message + "\n", context.RequestAborted);
                return;
            }
            await next(context);
        });
        app.MapMcp("/mcp");
        Ui.UiEndpoints.Map(app, engine, sessions);
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        await WriteWholeAsync(paths.HttpAddress, url + "\n", cancellationToken);
        return new HttpFront(app, url, paths.HttpAddress);
    }

    /// <summary>The address to listen on, if it may be used: loopback, or any address config.json names.</summary>
    public static IPEndPoint Check(string address, bool fromConfig)
    {
        var endpoint = Endpoint(address);
        return IPAddress.IsLoopback(endpoint.Address) || fromConfig ? endpoint
            : throw LocalMemoryException.Invalid($"{address} is not a loopback address; name it as \"http\" in config.json to listen there");
    }

    /// <summary>Why a request is refused (status and message), or null to serve it.</summary>
    internal static (int Status, string Message)? Refusal(HttpRequest request, int port, string token, Ui.UiSessions sessions)
    {
        if (!AllowedHost(request.Host, port)) return (StatusCodes.Status403Forbidden, "localmem: this Host is not allowed");
        if (request.Headers.Origin is [{ } origin, ..] && !AllowedOrigin(origin, port)) return (StatusCodes.Status403Forbidden, "localmem: this Origin is not allowed");
        var authorization = request.Headers.Authorization.ToString();
        var given = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : "";
        if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(token))) return null;
        if (!request.Path.StartsWithSegments("/ui", StringComparison.Ordinal))
            return (StatusCodes.Status401Unauthorized, "localmem: a bearer token is required (see run/http.token in the localmem home)");
        if (request.Path.Equals("/ui/login", StringComparison.Ordinal)) return null; // it checks its one-time token itself
        if (sessions.Csrf(request) is not { } csrf) return (StatusCodes.Status401Unauthorized, "localmem: run `localmem ui` to open this page");
        if (HttpMethods.IsPost(request.Method) && !Ui.UiSessions.CsrfMatches(csrf, CsrfOf(request)))
            return (StatusCodes.Status403Forbidden, "localmem: this change did not come from localmem's own page (no CSRF token); reload the page and try again");
        return null;
    }

    private static string? CsrfOf(HttpRequest request) =>
        request.Headers["X-CSRF-Token"] is [{ } header, ..] ? header
        : request.HasFormContentType && request.Form.TryGetValue(Ui.UiSessions.CsrfField, out var field) ? field.ToString() : null;

    private static bool AllowedHost(HostString host, int port) =>
        host.Port == port && host.Host.ToLowerInvariant() is "127.0.0.1" or "localhost" or "[::1]";

    private static bool AllowedOrigin(string origin, int port) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" && uri.Port == port && uri.Host.ToLowerInvariant() is "127.0.0.1" or "localhost" or "[::1]";

    private static IPEndPoint Endpoint(string address) =>
        IPEndPoint.TryParse(address, out var endpoint) ? endpoint
        : address.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) && int.TryParse(address["localhost:".Length..], out var port) ? new IPEndPoint(IPAddress.Loopback, port)
        : throw LocalMemoryException.Invalid($"http address must be IP:PORT, such as {DaemonSettings.DefaultHttp}, got '{address}'");

    /// <summary>The token in run/http.token, made on first use (32 random bytes, readable by the owner only).</summary>
    private static string Token(DaemonPaths paths)
    {
        if (File.Exists(paths.Token)) return File.ReadAllText(paths.Token).Trim();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var temp = paths.Token + ".tmp";
        File.WriteAllText(temp, token + "\n"); // inside run/ (0700), then readable by the owner only
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, paths.Token, overwrite: true);
        return token;
    }

    /// <summary>Writes a file that readers see whole or not at all (written beside it, then moved into place).</summary>
    private static async Task WriteWholeAsync(string path, string content, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path + ".tmp", content, cancellationToken);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        try { File.Delete(_addressFile); }
        catch (IOException) { }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
