using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Search;

/// <summary>A memory that may answer a query, with what the store knows of it: its vector, where each channel ranked
/// it, and its BM25 score for the query's words.</summary>
/// <param name="Bm25">FTS5's bm25() for the query's words, as a positive number (0: no word matched).</param>
/// <param name="Neighbour">Not found by either channel: stored next to a memory that was (see <see cref="CandidateSet"/>).</param>
public sealed record Candidate(long Key, MemoryRecord Record, float[] Vector, int? VectorRank, int? KeywordRank, double Bm25, bool Neighbour);

/// <summary>What one store call returns for a query: the candidates and the statistics that put BM25 on a common scale.</summary>
/// <remarks>Memories stored by one add call (same user, same created_at) in consecutive rows are neighbours: turns of
/// one conversation, facts of one session. The candidates include the neighbours of every memory a channel found,
/// so that ranking can read a memory in its context.</remarks>
/// <param name="TermIdf">FTS5's idf of each query word that was searched (words in too many memories are not).</param>
public sealed record CandidateSet(IReadOnlyList<Candidate> Candidates, IReadOnlyList<double> TermIdf)
{
    public static readonly CandidateSet Empty = new([], []);
}
