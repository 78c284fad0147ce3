namespace LtxLocal.Media;

/// <summary>
/// Shrinks an image fed one RGBA row at a time to RGB24 at a smaller (or equal) size by averaging the
/// source pixels that fall in each destination pixel. Only one destination row of sums is held, so an image
/// decoded row by row shrinks to the pipeline's size without ever existing whole in memory.
/// At equal size it copies the pixels exactly (alpha dropped, as ffmpeg's rgb24 conversion does).
/// </summary>
internal sealed class AreaResampler
{
    private readonly int _sourceWidth, _sourceHeight, _width, _height;
    private readonly int[] _column;
    private readonly long[] _sums;
    private readonly int[] _counts;
    private int _rowsSeen, _pendingRow;

    public byte[] Rgb { get; }
    public bool Complete => _rowsSeen == _sourceHeight;

    public AreaResampler(int sourceWidth, int sourceHeight, int width, int height)
    {
        if (width > sourceWidth || height > sourceHeight || width <= 0 || height <= 0)
            throw new ArgumentException($"cannot shrink {sourceWidth}x{sourceHeight} to {width}x{height}");
        (_sourceWidth, _sourceHeight, _width, _height) = (sourceWidth, sourceHeight, width, height);
        _column = new int[sourceWidth];
        for (var x = 0; x < sourceWidth; x++) _column[x] = (int)((long)x * width / sourceWidth);
        _sums = new long[width * 3];
        _counts = new int[width];
        Rgb = new byte[width * height * 3];
    }

    public void AddRow(ReadOnlySpan<byte> rgba)
    {
        var target = (int)((long)_rowsSeen * _height / _sourceHeight);
        if (target != _pendingRow) Flush();
        _pendingRow = target;
        for (var x = 0; x < _sourceWidth; x++)
        {
            var d = _column[x];
            _sums[d * 3] += rgba[x * 4];
            _sums[d * 3 + 1] += rgba[x * 4 + 1];
            _sums[d * 3 + 2] += rgba[x * 4 + 2];
            _counts[d]++;
        }
        if (++_rowsSeen == _sourceHeight) Flush();
    }

    private void Flush()
    {
        var row = Rgb.AsSpan(_pendingRow * _width * 3, _width * 3);
        for (var d = 0; d < _width; d++)
        {
            var n = _counts[d];
            for (var c = 0; c < 3; c++) row[d * 3 + c] = (byte)((_sums[d * 3 + c] + n / 2) / n);
        }
        Array.Clear(_sums);
        Array.Clear(_counts);
    }
}
