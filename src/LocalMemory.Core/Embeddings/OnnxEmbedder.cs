using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace LocalMemory.Core.Embeddings;

/// <summary>A BERT-style sentence-embedding model run with ONNX Runtime.</summary>
/// <remarks>
/// Texts longer than the model's window are not truncated: the tokens are cut into windows of
/// <c>max_tokens - 2</c> with a quarter-window overlap, each window is embedded, and the pooled vectors are
/// averaged and re-normalised, so that a fact at the end of a long memory still counts.
/// Texts are batched by similar length to keep padding small.
/// </remarks>
public sealed class OnnxEmbedder : IEmbedder, IDisposable
{
    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly int _cls;
    private readonly int _sep;

    private OnnxEmbedder(ModelManifest model, InferenceSession session, BertTokenizer tokenizer)
    {
        Model = model;
        _session = session;
        _tokenizer = tokenizer;
        _cls = tokenizer.ClassificationTokenId;
        _sep = tokenizer.SeparatorTokenId;
    }

    public ModelManifest Model { get; }

    public static OnnxEmbedder Load(ModelManifest model)
    {
        try
        {
            var tokenizer = BertTokenizer.Create(model.VocabPath, new BertOptions { LowerCaseBeforeTokenization = true });
            var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                IntraOpNumThreads = Math.Max(1, Environment.ProcessorCount),
                InterOpNumThreads = 1,
            };
            // ONNX Runtime's workers spin after each run by default, holding the cores that the search's parallel
            // KNN scans (and the other agents' processes) need next.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            // Pre-packing copies every weight matrix once more at load (about 120 ms for arctic-xs on a 2-core VM,
            // where fresh pages are dear); batches of short texts measured no faster with it.
            options.AddSessionConfigEntry("session.disable_prepacking", "1");
            var session = new InferenceSession(model.ModelPath, options);
            return new OnnxEmbedder(model, session, tokenizer);
        }
        catch (OnnxRuntimeException e)
        {
            throw LocalMemoryException.System($"model '{model.Name}' failed to load ({e.Message}); {Hosting.Assets.FetchHint}", e);
        }
    }

    /// <summary>Agents ask the same things again (the task at hand, "conventions", "database"): recent query vectors
    /// are kept, so a repeated search skips the model. Bounded: emptied when full.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _queries = new(StringComparer.Ordinal);

    public float[] EmbedQuery(string query)
    {
        if (!_queries.TryGetValue(query, out var vector))
        {
            vector = Embed([Model.QueryPrefix + query])[0];
            if (_queries.Count >= Constants.QueryCacheSize) _queries.Clear();
            _queries[query] = vector;
        }
        return (float[])vector.Clone();
    }

    public float[][] EmbedDocuments(IReadOnlyList<string> texts) => Embed(texts);

    private float[][] Embed(IReadOnlyList<string> texts)
    {
        // Every text becomes one or more windows of token ids; results are averaged back per text.
        var windows = new List<(int Text, int[] Ids)>();
        for (var i = 0; i < texts.Count; i++)
            foreach (var window in Windows(texts[i]))
                windows.Add((i, window));

        var pooled = new float[windows.Count][];
        var order = Enumerable.Range(0, windows.Count).OrderBy(w => windows[w].Ids.Length).ToArray();
        for (var start = 0; start < order.Length; start += Constants.EmbeddingBatchSize)
        {
            var batch = order.Skip(start).Take(Constants.EmbeddingBatchSize).ToArray();
            var vectors = RunBatch([.. batch.Select(w => windows[w].Ids)]);
            for (var b = 0; b < batch.Length; b++) pooled[batch[b]] = vectors[b];
        }

        var result = new float[texts.Count][];
        for (var w = 0; w < windows.Count; w++)
        {
            var target = result[windows[w].Text] ??= new float[Model.Dimension];
            for (var d = 0; d < target.Length; d++) target[d] += pooled[w][d];
        }
        foreach (var vector in result) Normalize(vector);
        return result;
    }

    internal IEnumerable<int[]> Windows(string text)
    {
        var ids = _tokenizer.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        var size = Model.MaxTokens - 2;
        var stride = size - size / 4;
        for (var start = 0; ; start += stride)
        {
            var length = Math.Min(size, ids.Count - start);
            var window = new int[length + 2];
            window[0] = _cls;
            for (var i = 0; i < length; i++) window[i + 1] = ids[start + i];
            window[^1] = _sep;
            yield return window;
            if (start + size >= ids.Count) yield break;
        }
    }

    private float[][] RunBatch(int[][] batch)
    {
        var seq = batch.Max(ids => ids.Length);
        var n = batch.Length;
        var inputIds = new long[n * seq];
        var mask = new long[n * seq];
        var types = new long[n * seq];
        for (var b = 0; b < n; b++)
            for (var t = 0; t < batch[b].Length; t++)
            {
                inputIds[b * seq + t] = batch[b][t];
                mask[b * seq + t] = 1;
            }

        long[] shape = [n, seq];
        using var ids = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var attention = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typeIds = OrtValue.CreateTensorValueFromMemory(types, shape);
        var inputs = new Dictionary<string, OrtValue>
        {
            ["input_ids"] = ids,
            ["attention_mask"] = attention,
            ["token_type_ids"] = typeIds,
        };
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, inputs, ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var dim = Model.Dimension;

        var result = new float[n][];
        for (var b = 0; b < n; b++)
        {
            var vector = result[b] = new float[dim];
            if (Model.Pooling == Pooling.Cls)
            {
                hidden.Slice(b * seq * dim, dim).CopyTo(vector);
            }
            else
            {
                for (var t = 0; t < batch[b].Length; t++)
                {
                    var token = hidden.Slice((b * seq + t) * dim, dim);
                    for (var d = 0; d < dim; d++) vector[d] += token[d];
                }
                for (var d = 0; d < dim; d++) vector[d] /= batch[b].Length;
            }
            Normalize(vector);
        }
        return result;
    }

    private static void Normalize(float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0) for (var d = 0; d < vector.Length; d++) vector[d] /= norm;
    }

    public void Dispose() => _session.Dispose();
}
