using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Search;

/// <summary>A memory that may answer a query, with what the store knows of it: its vector, where each channel ranked
/// it, and its BM25 score for the query's words.</summary>
/// <param name="Bm25">FTS5's bm25() for the query's words, as a positive number (0: no word matched).</param>
public sealed record Candidate(long Key, MemoryRecord Record, float[] Vector, int? VectorRank, int? KeywordRank, double Bm25);

/// <summary>What one store call returns for a query.</summary>
/// <remarks>The candidates include the neighbours (<see cref="Fusion.IsNeighbour"/>) of every memory a channel found,
/// so that ranking can read a memory in its context.</remarks>
public sealed record CandidateSet(IReadOnlyList<Candidate> Candidates);
