namespace Portcullis.Waf.Tests.Transformations;

public sealed class RemoveCommentsCharTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("a-b*c/d<e!f", "a-b*c/d<e!f")]
    [InlineData("1/*x*/OR--#1", "1xOR1")]
    [InlineData("<!--x-->", "x")]
    [InlineData("a---b", "a-b")] // "--" first, then the lone "-" stays.
    [InlineData("a-->b", "ab")]
    [InlineData("a*/b/*", "ab")]
    [InlineData("##", "")]
    public void Apply_Input_RemovesCommentMarkers(string input, string expected) =>
        TransformationAssert.Transforms("removeCommentsChar", input, expected);
}
