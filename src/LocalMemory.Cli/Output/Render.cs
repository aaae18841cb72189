using System.Text;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Output;

/// <summary>How records look to people, and the compact JSON shape of a search hit.</summary>
internal static class Render
{
    public static HitView Hit(SearchHit hit) => new(
        hit.Memory.Id, hit.Memory.Memory, hit.Score, hit.Memory.UserId, hit.Memory.AgentId, hit.Memory.AppId, hit.Memory.RunId,
        hit.Memory.Project,
        hit.Memory.Metadata.Count > 0 ? hit.Memory.Metadata : null,
        hit.Memory.Categories.Count > 0 ? hit.Memory.Categories : null,
        hit.Memory.CreatedAt, hit.Memory.UpdatedAt, hit.Memory.Timestamp,
        new Ranking(hit.VectorRank, hit.KeywordRank, hit.Coverage, hit.Speaker, hit.Context, hit.Time, hit.Fused));

    public static ResultList<HitView> Hits(IEnumerable<SearchHit> hits) => new([.. hits.Select(Hit)]);

    /// <summary>A stored UTC timestamp to the minute, for tables.</summary>
    public static string Time(string? timestamp) => timestamp is null ? "" : timestamp[..Math.Min(16, timestamp.Length)].Replace('T', ' ');

    public static string ProjectLabel(string? project) => project is null ? "global" : project.Length <= 32 ? project : "…" + project[^31..];

    public static string Details(MemoryRecord m)
    {
        var b = new StringBuilder();
        void Field(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) b.Append(name.PadRight(12)).AppendLine(value);
        }
        Field("id", m.Id);
        Field("memory", m.Memory);
        Field("user_id", m.UserId);
        Field("agent_id", m.AgentId);
        Field("app_id", m.AppId);
        Field("run_id", m.RunId);
        Field("project", m.Project ?? "(global)");
        Field("categories", string.Join(", ", m.Categories));
        Field("metadata", m.Metadata.Count > 0 ? m.Metadata.ToJsonString() : null);
        Field("source", m.Source.ToJsonString());
        Field("timestamp", m.Timestamp);
        Field("created_at", m.CreatedAt);
        Field("updated_at", m.UpdatedAt);
        Field("expires", m.ExpirationDate);
        Field("hash", m.Hash);
        return b.ToString();
    }
}
