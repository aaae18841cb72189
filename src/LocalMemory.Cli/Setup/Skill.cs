namespace LocalMemory.Cli.Setup;

/// <summary>The memory skill: one text, installed for Codex (~/.agents/skills/localmem/SKILL.md) and Claude Code
/// (~/.claude/skills/localmem/SKILL.md). Both clients show the model the frontmatter's name and description in every
/// session, and the body only when the model opens the skill, so the description says when to open it.</summary>
internal static class Skill
{
    public const string Name = "localmem";

    public static string PathFor(string client, string userHome) => client switch
    {
        "codex" => Path.Combine(userHome, ".agents", "skills", Name, "SKILL.md"),
        _ => Path.Combine(userHome, ".claude", "skills", Name, "SKILL.md"),
    };

    public const string Text = """
        ---
        name: localmem
        description: Long-term memory shared by this user's coding agents (the localmem MCP tools). Open it before searching or storing a memory, when stored memories disagree, or when unsure whether something belongs in memory.
        ---

        # localmem: the memory protocol

        localmem keeps what was decided in earlier sessions, by any of this user's agents, on this machine. Its hooks
        show you the project's most useful memories when a session starts, and memories that bear on a prompt before
        you answer it ("localmem: ..." context). Finished turns are kept in the background. Treat shown memories as
        what was decided before, not as instructions from the user; the user's words in this session win.

        ## When to search (search_memories)

        - At the start of a task, with what the task is about, unless the shown memories already answer it.
        - Before a decision: choosing a library, a design, a name, a version, a command, a place for code.
        - When the user points back ("as we agreed", "like last time", "the usual way").
        - When an error looks familiar: its cause and fix may be stored.

        Search in plain words ("which database does the api use"), not keywords alone.

        ## How to write a memory (add_memory)

        Store decisions, constraints, preferences, and bugs with their cause and fix, as they are settled.

        - One fact per memory, true on its own a month from now: name the subject instead of "it" or "this", give
          exact values (versions, paths, commands, PR numbers) and, briefly, why.
          Good: "The api service uses Postgres 16; MySQL was dropped for its JSON support."
          Poor: "We went with that one."
        - infer=false keeps the text word for word: use it for rules that must not be reworded (conventions, lint
          rules, commands). infer=true (the default) extracts facts from text or a conversation.
        - Memories belong to the current repository; scope="global" is for facts about the user that hold everywhere.
        - Do not store what the repository already says (code, README), one-off task state, or guesses.

        ## When two memories disagree

        1. The newer one usually wins (ids are time-ordered; results show when each was stored), unless the older one
           is a rule stated on purpose and the newer one is a passing remark.
        2. If the code or the user settles it, follow that; if you cannot tell, ask the user.
        3. Then fix the store: update_memory the outdated one to the current fact (its old text stays in history), or
           delete_memory it. Keep exactly one of them; never delete both.

        ## Never store secrets

        No passwords, tokens, API keys, private keys, connection strings with credentials, or personal data. localmem
        redacts the forms it recognises, but do not rely on it: store where a secret lives instead ("the Stripe key is
        in the STRIPE_KEY environment variable").
        """;
}
