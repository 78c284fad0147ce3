namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>Loading a block made of several networks: what was already loaded is disposed when a later part fails.</summary>
public static class PartialLoad
{
    public static TResult Then<TFirst, TResult>(TFirst first, Func<TFirst, TResult> rest) where TFirst : IDisposable
    {
        try
        {
            return rest(first);
        }
        catch
        {
            first.Dispose();
            throw;
        }
    }
}
