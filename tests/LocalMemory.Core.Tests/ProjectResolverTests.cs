using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Tests;

public class ProjectResolverTests
{
    [Theory]
    [InlineData("git@github.com:acme/api.git", "github.com/acme/api")]
    [InlineData("https://github.com/acme/api.git", "github.com/acme/api")]
    [InlineData("https://user:token@gitlab.example.com/group/sub/repo/", "gitlab.example.com/group/sub/repo")]
    [InlineData("ssh://git@github.com/acme/api", "github.com/acme/api")]
    public void Remotes_normalise_to_host_and_path(string url, string expected) =>
        Assert.Equal(expected, ProjectResolver.NormalizeRemote(url));

    [Fact]
    public void A_directory_inside_a_repository_resolves_to_its_origin_else_its_root()
    {
        var root = Directory.CreateTempSubdirectory("localmem-repo-");
        try
        {
            var nested = Directory.CreateDirectory(Path.Combine(root.FullName, "src", "deep"));
            Directory.CreateDirectory(Path.Combine(root.FullName, ".git"));
            Assert.Equal(root.FullName, ProjectResolver.FromDirectory(nested.FullName));

            File.WriteAllText(Path.Combine(root.FullName, ".git", "config"), "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:acme/api.git\n");
            Assert.Equal("github.com/acme/api", ProjectResolver.FromDirectory(nested.FullName));
            Assert.Null(ProjectResolver.FromDirectory(Path.GetPathRoot(root.FullName)));
        }
        finally { root.Delete(recursive: true); }
    }
}
