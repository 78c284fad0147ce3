namespace LtxLocal.Torch.Safetensors;

/// <summary>A safetensors file that cannot be read as such: names the file and what is wrong with it.</summary>
public sealed class SafetensorsException : Exception
{
    public SafetensorsException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    public string FilePath { get; }

    public string Problem { get; }
}
