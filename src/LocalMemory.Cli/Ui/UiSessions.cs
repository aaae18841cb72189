using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace LocalMemory.Cli.Ui;

/// <summary>Who may use the page: `localmem ui` gets a one-time link (valid 2 minutes, once), which becomes a
/// session cookie (HttpOnly, SameSite=Strict); every form carries the session's CSRF token, and a write without it
/// is refused. The bearer token of run/http.token works too, for scripts.</summary>
internal sealed class UiSessions
{
    public const string Cookie = "localmem_session";
    public const string CsrfField = "_csrf";
    private static readonly TimeSpan LinkLife = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan SessionLife = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _links = new();
    private readonly ConcurrentDictionary<string, (string Csrf, DateTimeOffset Until)> _sessions = new();

    /// <summary>A new one-time login token.</summary>
    public string NewLink()
    {
        foreach (var (old, until) in _links) if (until < DateTimeOffset.UtcNow) _links.TryRemove(old, out _);
        var token = NewToken();
        _links[token] = DateTimeOffset.UtcNow + LinkLife;
        return token;
    }

    /// <summary>Spends a one-time token: the new session's id, or null if the token is unknown, used or old.</summary>
    public string? Redeem(string? token)
    {
        if (token is null || !_links.TryRemove(token, out var until) || until < DateTimeOffset.UtcNow) return null;
        var session = NewToken();
        _sessions[session] = (NewToken(), DateTimeOffset.UtcNow + SessionLife);
        return session;
    }

    /// <summary>The CSRF token of the request's session, or null when it has none (or it ran out).</summary>
    public string? Csrf(HttpRequest request) =>
        request.Cookies.TryGetValue(Cookie, out var id) && id is not null && _sessions.TryGetValue(id, out var s) && s.Until > DateTimeOffset.UtcNow ? s.Csrf : null;

    /// <summary>Whether a write carries the session's CSRF token (a form field, or the X-CSRF-Token header).</summary>
    public static bool CsrfMatches(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(given));

    public static CookieOptions CookieOptions => new() { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", MaxAge = SessionLife };

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
