using LocalMemory.Core.Memories;
using LocalMemory.Core.Security;

namespace LocalMemory.Core.Tests;

public sealed class SecretTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public static TheoryData<string, string> Secrets()
    {
        var data = new TheoryData<string, string>();
        foreach (var (kind, text) in SecretCatalogue.Secrets) data.Add(kind, text);
        return data;
    }

    public static TheoryData<string> Harmless() => [.. SecretCatalogue.Harmless];

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Every_fake_credential_is_found(string kind, string text)
    {
        var found = SecretScanner.Find(text);
        Assert.Contains(found, f => f.Kind == kind);
        var redacted = SecretScanner.Redact(text, found);
        Assert.Contains($"[REDACTED:{kind}]", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Harmless))]
    public void Harmless_look_alikes_are_left_alone(string text) => Assert.Empty(SecretScanner.Find(text));

    [Fact]
    public async Task Credentials_are_redacted_in_stored_memories_and_search_results()
    {
        var service = _home.Open();
        foreach (var (kind, text) in SecretCatalogue.Secrets)
        {
            var result = await service.AddAsync(new AddRequest { Text = "Note for ops: " + text }, Context.Global, _ct);
            var stored = await service.GetAsync(result.Results[0].Id, null, _ct);
            Assert.Contains("[REDACTED:", stored.Memory, StringComparison.Ordinal);
            foreach (var match in SecretScanner.Find(text)) Assert.DoesNotContain(text.Substring(match.Index, match.Length), stored.Memory, StringComparison.Ordinal);
        }
        var hits = await service.SearchAsync(new SearchRequest { Query = "token key password secret", Limit = 100 }, Context.Global, _ct);
        Assert.NotEmpty(hits);
        foreach (var (_, text) in SecretCatalogue.Secrets)
            foreach (var match in SecretScanner.Find(text))
                Assert.DoesNotContain(hits, h => h.Memory.Memory.Contains(text.Substring(match.Index, match.Length), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Harmless_text_is_stored_word_for_word()
    {
        var service = _home.Open();
        foreach (var text in SecretCatalogue.Harmless)
        {
            var result = await service.AddAsync(new AddRequest { Text = text }, Context.Global, _ct);
            Assert.Equal(text, (await service.GetAsync(result.Results[0].Id, null, _ct)).Memory);
        }
    }

    [Fact]
    public async Task Reject_mode_refuses_and_stores_nothing_allow_mode_keeps_the_text()
    {
        var secret = SecretCatalogue.Secrets[3].Text;
        var reject = _home.Open(_home.Options with { Secrets = SecretsMode.Reject });
        var e = await Assert.ThrowsAsync<LocalMemoryException>(() => reject.AddAsync(new AddRequest { Text = secret }, Context.Global, _ct));
        Assert.Contains("GitHub token", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, reject.Store.Counts().Memories);

        var allow = _home.Open(_home.Options with { Secrets = SecretsMode.Allow });
        var kept = await allow.AddAsync(new AddRequest { Text = secret }, Context.Global, _ct);
        Assert.Equal(secret, kept.Results[0].Memory);
    }

    [Fact]
    public async Task Metadata_and_updates_are_redacted_too()
    {
        var service = _home.Open();
        var token = SecretCatalogue.Secrets[3].Text;
        var added = await service.AddAsync(new AddRequest { Text = "The release bot posts to #releases", Metadata = new() { ["note"] = token } }, Context.Global, _ct);
        var id = added.Results[0].Id;
        Assert.Contains("[REDACTED:GitHub token]", (await service.GetAsync(id, null, _ct)).Metadata["note"]!.GetValue<string>(), StringComparison.Ordinal);
        var updated = await service.UpdateAsync(new UpdateRequest(id, "The bot uses " + token, null), Context.Global, _ct);
        Assert.Contains("[REDACTED:GitHub token]", updated.Memory, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();
}
