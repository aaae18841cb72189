namespace LocalMemory.Core.Embeddings;

/// <summary>Turns texts into unit-length vectors.</summary>
public interface IEmbedder
{
    ModelManifest Model { get; }

    /// <summary>Embeds documents (stored memories).</summary>
    float[][] EmbedDocuments(IReadOnlyList<string> texts);

    /// <summary>Embeds a search query, with the model's query prefix.</summary>
    float[] EmbedQuery(string query);
}
