namespace Portcullis.Waf.Detection;

/// <summary>
/// The class of one SQL token. Each value is the letter the token contributes to a fingerprint; the letters are
/// libinjection's, so its fingerprint list (<see cref="SqlFingerprintData"/>) can be used as data.
/// </summary>
internal enum SqlTokenType : byte
{
    None = 0,
    Keyword = (byte)'k',
    Union = (byte)'U',
    Group = (byte)'B',
    Expression = (byte)'E',
    SqlType = (byte)'t',
    Function = (byte)'f',
    Bareword = (byte)'n',
    Number = (byte)'1',
    Variable = (byte)'v',
    String = (byte)'s',
    Operator = (byte)'o',
    LogicOperator = (byte)'&',
    Comment = (byte)'c',
    Collate = (byte)'A',
    LeftParen = (byte)'(',
    RightParen = (byte)')',
    LeftBrace = (byte)'{',
    RightBrace = (byte)'}',
    Dot = (byte)'.',
    Comma = (byte)',',
    Colon = (byte)':',
    Semicolon = (byte)';',
    Tsql = (byte)'T',
    Unknown = (byte)'?',
    Evil = (byte)'X',
    Backslash = (byte)'\\',
}
