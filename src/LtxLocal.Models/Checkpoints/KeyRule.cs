namespace LtxLocal.Models.Checkpoints;

/// <summary>One renaming rule of a <see cref="KeyMappedSource"/>: file keys under <c>FilePrefix</c> appear under <c>ModulePrefix</c>.</summary>
public readonly record struct KeyRule(string ModulePrefix, string FilePrefix)
{
    /// <summary>Every key as it is.</summary>
    public static readonly KeyRule Identity = new("", "");

    public static implicit operator KeyRule((string ModulePrefix, string FilePrefix) rule) => new(rule.ModulePrefix, rule.FilePrefix);
}
