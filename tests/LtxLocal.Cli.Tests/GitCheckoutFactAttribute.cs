namespace LtxLocal.Cli.Tests;

/// <summary>
/// A fact that clones the repository (scripts/test-readme.sh clones HEAD): skipped, with the reason, where the tree
/// is not a git checkout or git is not installed, e.g. the Debian 13 root of `make test-debian13`, whose /src is a
/// copy of the tracked files (the README test runs in the host's `make test`).
/// </summary>
public sealed class GitCheckoutFactAttribute : FactAttribute
{
    public GitCheckoutFactAttribute()
    {
        var root = CliProcess.RepoRoot;
        var dotGit = Path.Combine(root, ".git"); // a folder in a clone, a file in a worktree
        if (!Directory.Exists(dotGit) && !File.Exists(dotGit))
            Skip = $"{root} is not a git checkout (no .git): nothing to clone";
        else if (!OnPath("git"))
            Skip = "git is not installed: the test clones the repository";
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, program)));
}
