namespace Portcullis.Waf.Rules;

/// <summary><c>allow</c> (the rest of the transaction), <c>allow:phase</c>, <c>allow:request</c>.</summary>
internal enum AllowScope
{
    Transaction,
    Phase,
    Request,
}
