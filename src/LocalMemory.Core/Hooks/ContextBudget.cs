using System.Text;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Hooks;

/// <summary>Context for the model, packed line by line into a token budget.</summary>
/// <remarks>Tokens are estimated at four characters each, the usual figure for English and code with the clients'
/// tokenizers. Both clients cut or spill hook output beyond about 2,000 tokens, so the budgets stay well below.</remarks>
internal sealed class ContextBudget(int tokens)
{
    /// <summary>One memory's share at most: a long one is cut, and its id leads to the whole text.</summary>
    private const int MaxEntryChars = 400;

    private readonly StringBuilder _text = new();
    private int _left = tokens;

    public static int Estimate(string text) => (text.Length + 3) / 4;

    public string Text => _text.ToString().TrimEnd();

    /// <summary>Adds the line if it fits in what is left of the budget.</summary>
    public bool TryAdd(string line)
    {
        var cost = Estimate(line) + 1;
        if (cost > _left) return false;
        _text.Append(line).Append('\n');
        _left -= cost;
        return true;
    }

    /// <summary>A memory as one line: its text (cut if long), its id and the day it was last changed.</summary>
    public static string Line(MemoryRecord memory)
    {
        var text = string.Join(' ', memory.Memory.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (text.Length > MaxEntryChars) text = text[..MaxEntryChars].TrimEnd() + "…";
        return $"- {text} (id {memory.Id}, {memory.UpdatedAt[..Math.Min(10, memory.UpdatedAt.Length)]})";
    }
}
