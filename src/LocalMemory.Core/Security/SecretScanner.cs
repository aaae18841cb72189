using System.Text.RegularExpressions;

namespace LocalMemory.Core.Security;

/// <summary>What to do with a credential found in text that is about to be stored.</summary>
public enum SecretsMode { Redact, Reject, Allow }

/// <summary>A credential found in text: what kind, and where.</summary>
public sealed record SecretMatch(string Kind, int Index, int Length);

/// <summary>Finds credentials in text before it is stored, so that a key pasted into a conversation is not remembered
/// and shared with every agent: cloud access keys, provider API tokens, private key blocks, JWTs, passwords in URLs
/// and connection strings, and high-entropy values assigned to names like password, secret or token.</summary>
/// <remarks>
/// Documentation placeholders stay: values containing EXAMPLE, xxx, &lt;...&gt;, ${...}, "changeme" and the like,
/// and low-entropy values ("password policy: 12 characters"). Hashes, UUIDs and git SHAs are not credentials.
/// </remarks>
public static partial class SecretScanner
{
    private static readonly (string Kind, Regex Pattern, int Group)[] Patterns =
    [
        ("private key", PrivateKey(), 0),
        ("AWS access key", AwsKeyId(), 0),
        ("AWS secret key", AwsSecret(), 1),
        ("GitHub token", GitHub(), 0),
        ("GitLab token", GitLab(), 0),
        ("Slack token", Slack(), 0),
        ("Slack webhook", SlackWebhook(), 0),
        ("Stripe key", Stripe(), 0),
        ("Anthropic key", Anthropic(), 0),
        ("OpenAI key", OpenAi(), 0),
        ("Google API key", Google(), 0),
        ("SendGrid key", SendGrid(), 0),
        ("npm token", Npm(), 0),
        ("PyPI token", PyPi(), 0),
        ("Hugging Face token", HuggingFace(), 0),
        ("Azure key", Azure(), 1),
        ("JWT", Jwt(), 0),
        ("password in URL", UrlPassword(), 1),
        ("password", ConnectionPassword(), 1),
        ("secret", Assignment(), 1),
    ];

    public static IReadOnlyList<SecretMatch> Find(string text)
    {
        var found = new List<SecretMatch>();
        foreach (var (kind, pattern, group) in Patterns)
            foreach (Match m in pattern.Matches(text))
            {
                var g = m.Groups[group];
                if (!g.Success || g.Length == 0 || IsPlaceholder(g.Value)) continue;
                if (kind is "secret" or "password" or "AWS secret key" && !LooksRandom(g.Value)) continue;
                if (found.Any(f => g.Index < f.Index + f.Length && f.Index < g.Index + g.Length)) continue; // already covered
                found.Add(new SecretMatch(kind, g.Index, g.Length));
            }
        return [.. found.OrderBy(f => f.Index)];
    }

    /// <summary>The text with every credential replaced by <c>[REDACTED:kind]</c>.</summary>
    public static string Redact(string text, IReadOnlyList<SecretMatch> matches)
    {
        foreach (var m in matches.OrderByDescending(m => m.Index))
            text = text[..m.Index] + $"[REDACTED:{m.Kind}]" + text[(m.Index + m.Length)..];
        return text;
    }

    /// <summary>Applies the mode to one text: redacts, refuses with an error that names the kind, or lets it through.</summary>
    public static string Apply(string text, SecretsMode mode, string what)
    {
        if (mode == SecretsMode.Allow) return text;
        var matches = Find(text);
        if (matches.Count == 0) return text;
        if (mode == SecretsMode.Reject)
            throw LocalMemoryException.Invalid(
                $"{what} contains a credential ({string.Join(", ", matches.Select(m => m.Kind).Distinct())}); remove it, or set \"secrets\": \"redact\" or \"allow\" in config.json");
        return Redact(text, matches);
    }

    private static bool IsPlaceholder(string value) =>
        Placeholder().IsMatch(value) || value.Distinct().Count() <= 3;

    /// <summary>Random-looking: mixed character classes and high Shannon entropy, unlike words and sentences.</summary>
    internal static bool LooksRandom(string value)
    {
        if (value.Length < 8) return false;
        var classes = (value.Any(char.IsUpper) ? 1 : 0) + (value.Any(char.IsLower) ? 1 : 0) + (value.Any(char.IsDigit) ? 1 : 0) + (value.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        return classes >= 2 && Entropy(value) >= 3.0;
    }

    private static double Entropy(string value) =>
        -value.GroupBy(c => c).Sum(g => (double)g.Count() / value.Length * Math.Log2((double)g.Count() / value.Length));

    [GeneratedRegex(@"example|xxx|changeme|change_me|placeholder|your[_-]|<[^>]*>|\$\{|\{\{|\*\*\*|dummy|redacted|sample|fake|test123|password123|hunter2", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----|$)")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsKeyId();

    [GeneratedRegex(@"(?i:aws[_\-\s]?secret[_\-\s]?(?:access[_\-\s]?)?key)[""']?\s*[:=]\s*[""']?([A-Za-z0-9/+=]{40})\b")]
    private static partial Regex AwsSecret();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b")]
    private static partial Regex GitHub();

    [GeneratedRegex(@"\bglpat-[A-Za-z0-9_\-]{20,}\b")]
    private static partial Regex GitLab();

    [GeneratedRegex(@"\bxox[abposr]-[A-Za-z0-9\-]{10,}\b")]
    private static partial Regex Slack();

    [GeneratedRegex(@"https://hooks\.slack\.com/services/[A-Za-z0-9/_\-]{20,}")]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b")]
    private static partial Regex Stripe();

    [GeneratedRegex(@"\bsk-ant-[A-Za-z0-9_\-]{20,}")]
    private static partial Regex Anthropic();

    [GeneratedRegex(@"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}")]
    private static partial Regex OpenAi();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}\b")]
    private static partial Regex Google();

    [GeneratedRegex(@"\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}\b")]
    private static partial Regex SendGrid();

    [GeneratedRegex(@"\bnpm_[A-Za-z0-9]{36}\b")]
    private static partial Regex Npm();

    [GeneratedRegex(@"\bpypi-[A-Za-z0-9_\-]{50,}")]
    private static partial Regex PyPi();

    [GeneratedRegex(@"\bhf_[A-Za-z0-9]{30,}\b")]
    private static partial Regex HuggingFace();

    [GeneratedRegex(@"(?i:AccountKey|SharedAccessKey)=([A-Za-z0-9+/=]{30,})")]
    private static partial Regex Azure();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b[a-z][a-z0-9+.\-]*://[^\s:/@]+:([^\s@/]+)@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?i:\b(?:password|pwd|passwd)\s*=\s*)([^;'""\s]+)")]
    private static partial Regex ConnectionPassword();

    [GeneratedRegex(@"(?i:\b[\w.\-]*(?:password|passwd|secret|token|api[_\-]?key|apikey|access[_\-]?key|private[_\-]?key|client[_\-]?secret|auth[_\-]?key|credentials?)[\w\-]*[""']?\s*(?:[:=]|=>|\bis\b)\s*)[""']?([^\s""',;]{8,})")]
    private static partial Regex Assignment();
}
