namespace Portcullis.Waf.Tests.Transformations;

public sealed class CmdLineTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("ls -la", "ls -la")]
    [InlineData("C^md.exe  /c \"DIR\"", "cmd.exe/c dir")]
    [InlineData("c\\a\\t /e't'c/pa's'swd", "cat/etc/passwd")]
    [InlineData("a,;\t\r\nb", "a b")]
    [InlineData("echo (x)", "echo(x)")]
    [InlineData("a ^ /b", "a/b")] // Deleted chars do not end a run of spaces.
    [InlineData(" /x", "/x")]
    [InlineData("x ", "x ")]
    [InlineData("A\0B;C", "a\0b c")] // Every byte is processed: v2's NUL cut-off is an evasion.
    [InlineData("\u00c9X", "\u00c9x")]
    public void Apply_Input_NormalisesAsModSecurity(string input, string expected) =>
        TransformationAssert.Transforms("cmdLine", input, expected);
}
