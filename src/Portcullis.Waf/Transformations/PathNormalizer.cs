namespace Portcullis.Waf.Transformations;

/// <summary>
/// ModSecurity v2's <c>normalize_path_inplace</c>, shared by normalizePath and normalizePathWin. It walks the path
/// once, rewriting in place: empty segments (<c>//</c>) collapse, <c>./</c> self-references go, <c>../</c> removes
/// the previous segment (never above the root of an absolute path; a relative path keeps back-references it cannot
/// resolve), and a trailing slash survives only if the input had one. Its quirks are kept on purpose, e.g. a
/// back-reference is recognised by "previous output char is a dot", so <c>ab..</c> → empty.
/// </summary>
internal static class PathNormalizer
{
    public static string Normalize(string input, bool windows)
    {
        if (input.Length == 0)
        {
            return input;
        }
        var span = input.AsSpan();
        if (span[^1] != '.' && span.IndexOf('/') < 0 && (!windows || span.IndexOf('\\') < 0))
        {
            return input; // No separators and no trailing dot: nothing for the algorithm to do.
        }

        var scratch = new Latin1Builder(stackalloc char[256]);
        try
        {
            scratch.Append(span);
            var length = NormalizeInPlace(scratch.WritableChars, windows);
            var result = scratch.Written[..length];
            return result.SequenceEqual(span) ? input : new string(result);
        }
        finally
        {
            scratch.Dispose();
        }
    }

    private static bool IsSeparator(char c, bool windows) => c == '/' || (windows && c == '\\');

    /// <summary>The v2 state machine over <paramref name="buf"/> (read at <c>src</c>, written at <c>dst ≤ src</c>).</summary>
    private static int NormalizeInPlace(Span<char> buf, bool windows)
    {
        var end = buf.Length - 1;
        var relative = !IsSeparator(buf[0], windows);
        var trailing = IsSeparator(buf[end], windows);
        int src = 0, dst = 0;
        var hitRoot = false;
        var done = false;

        while (!done && src <= end && dst <= end)
        {
            if (windows)
            {
                if (buf[src] == '\\')
                {
                    buf[src] = '/';
                }
                if (src < end && buf[src + 1] == '\\')
                {
                    buf[src + 1] = '/';
                }
            }

            var skipCopy = false;
            if (src == end)
            {
                done = true; // Always normalise at the end of the input.
            }
            else if (buf[src + 1] != '/')
            {
                goto Copy; // Not the end of a segment.
            }

            if (src != end && buf[src] == '/')
            {
                goto Copy; // Empty segment: the copy step collapses the slashes.
            }
            if (buf[src] == '.')
            {
                if (dst > 0 && buf[dst - 1] == '.')
                {
                    // Back-reference.
                    if (relative && (hitRoot || dst - 2 <= 0))
                    {
                        hitRoot = true;
                        goto Copy; // Nothing left to remove in a relative path: keep the "..".
                    }
                    dst -= 3;
                    while (dst > 0 && buf[dst] != '/')
                    {
                        dst--;
                    }
                    if (dst <= 0)
                    {
                        hitRoot = true;
                        dst = 0;
                        if (!relative && src == end)
                        {
                            dst++; // Keep the root slash of an absolute path that ends in "..".
                        }
                    }
                    if (done)
                    {
                        continue;
                    }
                    src++;
                }
                else if (dst == 0)
                {
                    // Relative self-reference at the start.
                    if (done)
                    {
                        continue;
                    }
                    src++;
                }
                else if (buf[dst - 1] == '/')
                {
                    // Self-reference.
                    if (done)
                    {
                        continue;
                    }
                    dst--;
                    src++;
                }
            }
            else if (dst > 0)
            {
                hitRoot = false; // A regular segment.
            }

        Copy:
            if (buf[src] == '/')
            {
                // Skip to the last of several slashes.
                while (src < end && IsSeparator(buf[src + 1], windows))
                {
                    src++;
                }
                if (relative && dst == 0)
                {
                    // A relative path does not start with the slash it reached.
                    src++;
                    skipCopy = true;
                }
            }
            if (!skipCopy)
            {
                buf[dst++] = buf[src++];
            }
        }

        if (!trailing && dst > 0 && buf[dst - 1] == '/')
        {
            dst--;
        }
        return dst;
    }
}
