using LocalMemory.Core.Embeddings;
using LocalMemory.Core.Hosting;

namespace LocalMemory.Core.Tests;

public class EmbeddingTests
{
    [Fact]
    public void MiniLM_matches_the_published_reference_values()
    {
        var vector = Models.Get("minilm").EmbedDocuments(["This is an example sentence"])[0];
        float[] expected = [0.067657f, 0.063496f, 0.048713f, 0.079305f, 0.037448f];
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], vector[i], 4);
    }

    [Theory]
    [InlineData("arctic-xs")]
    [InlineData("minilm")]
    public void Vectors_are_unit_length_with_the_manifest_dimension(string model)
    {
        var embedder = Models.Get(model);
        var vectors = embedder.EmbedDocuments(["Postgres is the primary database", "x", "any() is banned in TypeScript"]);
        Assert.All(vectors, v =>
        {
            Assert.Equal(embedder.Model.Dimension, v.Length);
            Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3);
        });
    }

    [Fact]
    public void A_batch_gives_the_same_vectors_as_one_text_at_a_time()
    {
        var embedder = Models.Get("arctic-xs");
        string[] texts = ["short", "a somewhat longer sentence about the deployment pipeline and its caches", "Keep React pinned at 18.2"];
        var batch = embedder.EmbedDocuments(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = embedder.EmbedDocuments([texts[i]])[0];
            for (var d = 0; d < single.Length; d++) Assert.Equal(single[d], batch[i][d], 4);
        }
    }

    [Fact]
    public void A_text_longer_than_the_window_is_embedded_in_overlapping_windows_not_truncated()
    {
        var embedder = Models.Get("minilm"); // 256-token window
        var filler = string.Join(" ", Enumerable.Repeat("The build pipeline caches dependencies between runs.", 60));
        var tail = "The production database password rotates every Monday.";
        Assert.True(embedder.Windows(filler + " " + tail).Count() > 1);

        var truncatedOnly = embedder.EmbedDocuments([filler])[0];
        var withTail = embedder.EmbedDocuments([filler + " " + tail])[0];
        var query = embedder.EmbedQuery("when does the database password rotate");
        // The fact at the end still moves the vector toward a query about it.
        Assert.True(Dot(withTail, query) > Dot(truncatedOnly, query));
        Assert.Equal(1.0, Math.Sqrt(withTail.Sum(x => (double)x * x)), 3);
    }

    [Fact]
    public void A_repeated_query_gives_the_same_vector_and_callers_cannot_change_the_cached_one()
    {
        var embedder = Models.Get("arctic-xs");
        var first = embedder.EmbedQuery("which database do we use in production?");
        var expected = (float[])first.Clone();
        Array.Fill(first, 0f); // a caller scribbling on its copy
        var again = embedder.EmbedQuery("which database do we use in production?");
        Assert.Equal(expected, again);
        Assert.NotEqual(expected, embedder.EmbedQuery("which database do we use in staging?"));
        // The cache is bounded: more distinct queries than it holds still give the right vectors.
        for (var i = 0; i < Constants.QueryCacheSize + 5; i++) embedder.EmbedQuery($"query {i}");
        Assert.Equal(expected, embedder.EmbedQuery("which database do we use in production?"));
    }

    [Fact]
    public void The_query_prefix_comes_from_the_manifest()
    {
        var manifest = Assets.LoadModel(AppContext.BaseDirectory, "arctic-xs");
        Assert.Equal(Pooling.Cls, manifest.Pooling);
        Assert.StartsWith("Represent this sentence", manifest.QueryPrefix, StringComparison.Ordinal);
        Assert.Equal(Pooling.Mean, Assets.LoadModel(AppContext.BaseDirectory, "minilm").Pooling);
    }

    [Fact]
    public void A_missing_model_file_says_how_to_fetch_it()
    {
        var dir = Directory.CreateTempSubdirectory("localmem-assets-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "models"));
            File.Copy(Path.Combine(AppContext.BaseDirectory, "models", "arctic-xs.json"), Path.Combine(dir.FullName, "models", "arctic-xs.json"));
            var e = Assert.Throws<LocalMemoryException>(() => Assets.LoadModel(dir.FullName, "arctic-xs"));
            Assert.Equal(ErrorKind.System, e.Kind);
            Assert.Contains("fetch-assets", e.Message, StringComparison.Ordinal);
            var unknown = Assert.Throws<LocalMemoryException>(() => Assets.LoadModel(AppContext.BaseDirectory, "gpt-9"));
            Assert.Contains("available: arctic-xs, minilm", unknown.Message, StringComparison.Ordinal);
        }
        finally { dir.Delete(recursive: true); }
    }

    private static double Dot(float[] a, float[] b) => a.Select((x, i) => (double)x * b[i]).Sum();
}
