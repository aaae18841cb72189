using LocalMemory.Core.Embeddings;

namespace LocalMemory.Core.Memories;

/// <summary>What the hooks (Core/Hooks) need beyond the public operations.</summary>
public sealed partial class MemoryService
{
    /// <summary>The model, loaded and checked against the database's vectors, as every search gets it.</summary>
    internal Task<IEmbedder> ModelAsync(CancellationToken cancellationToken) => EmbedderAsync(cancellationToken);

    /// <summary>Keeps a conversation as a PENDING event and answers at once, whatever its length: the input is in the
    /// database when this returns, and inference happens later. Unlike a long add, it starts no work in this process,
    /// because its callers (hooks) exit at once: a host that stays up (the daemon, serve) works through the queue.</summary>
    public Task<AddResult> QueueAsync(AddRequest request, CallContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var input = AddInput.From(request with { Infer = true }, context, Options.UserId, Options.Secrets);
        CheckModel();
        var eventId = NewId();
        var evt = new EventRecord { Id = eventId, Type = "ADD", Status = EventStatus.Pending, UserId = input.UserId, AppId = input.AppId, CreatedAt = Json.Timestamp(DateTimeOffset.UtcNow) };
        _store.Enqueue(evt, input.ToJson());
        return Task.FromResult(new AddResult(eventId, EventStatus.Pending, []));
    }
}
