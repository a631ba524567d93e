namespace Portcullis.CrsTest;

/// <summary>
/// The engine configuration the CRS project runs its regression tests with (CRS tests/regression/README.md and
/// notes/waf.md §5): DetectionOnly so every stage reaches the end and logs, all paranoia levels, UTF-8 validation,
/// the test suite's argument and file limits, and rule 910000 (IP reputation) off.
/// </summary>
internal static class CrsTestSetup
{
    public const string Rules = """
        SecAction "id:900005,phase:1,nolog,pass,ctl:ruleEngine=DetectionOnly,ctl:ruleRemoveById=910000,setvar:tx.blocking_paranoia_level=4,setvar:tx.crs_validate_utf8_encoding=1,setvar:tx.arg_name_length=100,setvar:tx.arg_length=400,setvar:tx.total_arg_length=64000,setvar:tx.max_num_args=255,setvar:tx.max_file_size=64100,setvar:tx.combined_file_sizes=65535"
        """;

    /// <summary>The response types the suite expects to be inspected.</summary>
    public static readonly string[] ResponseMimeTypes = ["text/plain", "text/html", "text/xml", "application/json"];
}
