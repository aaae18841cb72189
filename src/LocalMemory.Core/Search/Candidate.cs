using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Search;

/// <summary>A memory that may answer a query, with what the store knows of it: its vector, where each channel ranked
/// it, and its BM25 score for the query's words.</summary>
/// <param name="Bm25">FTS5's bm25() for the query's words, as a positive number (0: no word matched).</param>
public sealed record Candidate(long Key, MemoryRecord Record, float[] Vector, int? VectorRank, int? KeywordRank, double Bm25);

/// <summary>What one store call returns for a query.</summary>
/// <remarks>The candidates include the neighbours (<see cref="Fusion.IsNeighbour"/>) of every memory a channel found,
/// so that ranking can read a memory in its context.</remarks>
/// <param name="KnownWords">The share of the query's words that some memory holds (words so common in this store that
/// they are left out count for neither side). A question most of whose words no memory uses is a paraphrase: the
/// few words it shares with a memory are more likely incidental, so the keyword part weighs this much.</param>
public sealed record CandidateSet(IReadOnlyList<Candidate> Candidates, double KnownWords);
