// Generated data, not code. Source: libinjection (https://github.com/libinjection/libinjection), the keyword table of src/sqlparse_data.json at 47e5c3b6302139f3ebb245111d6157a86cef501a.
// Copyright (c) 2012-2016, Nick Galbreath. BSD-3-Clause; the licence text is in Detection/README.md.
// One entry a line; regenerate from upstream rather than editing by hand.
namespace Portcullis.Waf.Detection;

/// <summary>SQL words and operators with their token type letter, as "TYPE WORD" (986 entries).</summary>
internal static class SqlKeywordData
{
    public const string Lines = """
        o !!
        o !<
        o !=
        o !>
        o %=
        & &&
        o &=
        o *=
        o +=
        o -=
        o /=
        o ::
        o :=
        o <<
        o <=
        o <>
        o <@
        o ==
        o >=
        o >>
        o @>
        k ABORT
        f ABS
        k ACCESSIBLE
        f ACOS
        f ADDDATE
        f ADDTIME
        f AES_DECRYPT
        f AES_ENCRYPT
        k AGAINST
        f AGE
        k ALL_USERS
        k ALTER
        k ALTER DOMAIN
        k ALTER TABLE
        k ANALYZE
        & AND
        f ANY
        t ANYARRAY
        t ANYELEMENT
        t ANYNONARRY
        f APPLOCK_MODE
        f APPLOCK_TEST
        f APP_NAME
        f ARRAY_AGG
        f ARRAY_CAT
        f ARRAY_DIM
        f ARRAY_FILL
        f ARRAY_LENGTH
        f ARRAY_LOWER
        f ARRAY_NDIMS
        f ARRAY_PREPEND
        f ARRAY_TO_JSON
        f ARRAY_TO_STRING
        f ARRAY_UPPER
        k AS
        k ASC
        f ASCII
        k ASENSITIVE
        f ASIN
        f ASSEMBLYPROPERTY
        f ASYMKEY_ID
        n AT TIME
        k AT TIME ZONE
        f ATAN
        f ATAN2
        k AUTOINCREMENT
        f AVG
        k BEFORE
        T BEGIN
        T BEGIN DECLARE
        T BEGIN GOTO
        T BEGIN TRY
        T BEGIN TRY DECLARE
        f BENCHMARK
        o BETWEEN
        t BIGINT
        t BIGSERIAL
        f BIN
        t BINARY
        1 BINARY_DOUBLE_INFINITY
        1 BINARY_DOUBLE_NAN
        1 BINARY_FLOAT_INFINITY
        1 BINARY_FLOAT_NAN
        f BINBINARY
        f BIT_AND
        f BIT_COUNT
        f BIT_LENGTH
        f BIT_OR
        f BIT_XOR
        k BLOB
        t BOOLEAN
        f BOOL_AND
        f BOOL_OR
        k BOTH
        f BTRIM
        n BY
        t BYTEA
        T CALL
        k CASCADE
        E CASE
        f CAST
        f CBOOL
        f CBRT
        f CBYTE
        f CCUR
        f CDATE
        f CDBL
        f CEIL
        f CEILING
        f CERTENCODED
        f CERTPRIVATEKEY
        f CERT_ID
        f CERT_PROPERTY
        k CHANGE
        f CHANGES
        f CHAR
        t CHARACTER
        t CHARACTER VARYING
        f CHARACTER_LENGTH
        f CHARINDEX
        f CHARSET
        f CHAR_LENGTH
        f CHDIR
        f CHDRIVE
        n CHECK
        f CHECKSUM_AGG
        f CHOOSE
        f CHR
        f CINT
        f CLNG
        f CLOCK_TIMESTAMP
        f COALESCE
        f COERCIBILITY
        A COLLATE
        f COLLATION
        f COLLATIONPROPERTY
        k COLUMN
        f COLUMNPROPERTY
        f COLUMNS_UPDATED
        f COL_LENGTH
        f COL_NAME
        f COMPRESS
        f CONCAT
        f CONCAT_WS
        k CONDITION
        f CONNECTION_ID
        k CONSTRAINT
        k CONTINUE
        f CONV
        f CONVERT
        f CONVERT_FROM
        f CONVERT_TO
        f CONVERT_TZ
        f COS
        f COT
        f COUNT
        k COUNT_BIG
        f CRC32
        E CREATE
        n CREATE OR
        T CREATE OR REPLACE
        n CROSS
        k CROSS JOIN
        f CSNG
        t CSTRING
        f CTXSYS.DRITHSX.SN
        f CUME_DIST
        f CURDATE
        f CURDIR
        v CURRENT DATE
        v CURRENT DEGREE
        v CURRENT FUNCTION
        v CURRENT FUNCTION PATH
        v CURRENT PATH
        v CURRENT SCHEMA
        v CURRENT SERVER
        v CURRENT TIME
        v CURRENT TIMEZONE
        f CURRENTUSER
        f CURRENT_DATABASE
        v CURRENT_DATE
        v CURRENT_PATH
        f CURRENT_QUERY
        f CURRENT_SCHEMA
        f CURRENT_SCHEMAS
        v CURRENT_SERVER
        f CURRENT_SETTING
        v CURRENT_TIME
        v CURRENT_TIMESTAMP
        v CURRENT_TIMEZONE
        v CURRENT_USER
        f CURRVAL
        k CURSOR
        f CURSOR_STATUS
        f CURTIME
        f CVAR
        n DATABASE
        f DATABASEPROPERTYEX
        k DATABASES
        f DATABASE_PRINCIPAL_ID
        f DATALENGTH
        f DATE
        f DATEADD
        f DATEDIFF
        f DATEFROMPARTS
        f DATENAME
        f DATEPART
        f DATESERIAL
        f DATETIME2FROMPARTS
        f DATETIMEFROMPARTS
        f DATETIMEOFFSETFROMPARTS
        f DATEVALUE
        f DATE_ADD
        f DATE_FORMAT
        f DATE_PART
        f DATE_SUB
        f DATE_TRUNC
        f DAVG
        f DAY
        f DAYNAME
        f DAYOFMONTH
        f DAYOFWEEK
        f DAYOFYEAR
        k DAY_HOUR
        k DAY_MICROSECOND
        k DAY_MINUTE
        k DAY_SECOND
        f DBMS_LOCK.SLEEP
        f DBMS_PIPE.RECEIVE_MESSAGE
        f DBMS_UTILITY.SQLID_TO_SQLHASH
        f DB_ID
        f DB_NAME
        f DCOUNT
        k DEC
        t DECIMAL
        T DECLARE
        f DECODE
        f DECRYPTBYASMKEY
        f DECRYPTBYCERT
        f DECRYPTBYKEY
        f DECRYPTBYKEYAUTOCERT
        f DECRYPTBYPASSPHRASE
        k DEFAULT
        f DEGREES
        k DELAY
        k DELAYED
        T DELETE
        f DENSE_RANK
        k DESC
        k DESCRIBE
        f DES_DECRYPT
        f DES_ENCRYPT
        k DETERMINISTIC
        f DFIRST
        f DIFFERENCE
        k DISTINCT
        k DISTINCTROW
        o DIV
        f DLAST
        f DLOOKUP
        f DMAX
        f DMIN
        n DO
        t DOUBLE
        t DOUBLE PRECISION
        T DROP
        f DSUM
        n DUAL
        k EACH
        k ELSE
        k ELSEIF
        f ELT
        k ENCLOSED
        f ENCODE
        f ENCRYPT
        f ENCRYPTBYASMKEY
        f ENCRYPTBYCERT
        f ENCRYPTBYKEY
        f ENCRYPTBYPASSPHRASE
        f ENUM_FIRST
        f ENUM_LAST
        f ENUM_RANGE
        f EOMONTH
        o EQV
        k ESCAPED
        f EVENTDATA
        U EXCEPT
        T EXEC
        T EXECUTE
        E EXECUTE AS
        E EXECUTE AS LOGIN
        f EXISTS
        k EXIT
        f EXP
        k EXPLAIN
        f EXPORT_SET
        f EXTRACT
        f EXTRACTVALUE
        f EXTRACT_VALUE
        1 FALSE
        k FETCH
        f FIELD
        f FILEDATETIME
        f FILEGROUPPROPERTY
        f FILEGROUP_ID
        f FILEGROUP_NAME
        f FILELEN
        f FILEPROPERTY
        f FILETOBLOB
        f FILETOCLOB
        f FILE_ID
        f FILE_IDEX
        f FILE_NAME
        f FIND_IN_SET
        f FIRST_VALUE
        t FLOAT
        t FLOAT4
        t FLOAT8
        f FLOOR
        f FN_VIRTUALFILESTATS
        n FOR
        k FOR UPDATE
        k FOR UPDATE NOWAIT
        k FOR UPDATE OF
        k FOR UPDATE SKIP
        k FOR UPDATE SKIP LOCKED
        k FOR UPDATE WAIT
        k FORCE
        k FOREIGN
        f FORMAT
        f FOUND_ROWS
        k FROM
        f FROM_BASE64
        f FROM_DAYS
        f FROM_UNIXTIME
        k FULL JOIN
        k FULL OUTER
        k FULL OUTER JOIN
        k FULLTEXT
        f FULLTEXTCATALOGPROPERTY
        f FULLTEXTSERVICEPROPERTY
        k FUNCTION
        f GENERATE_SERIES
        f GENERATE_SUBSCRIPTS
        f GETATTR
        f GETDATE
        f GETUTCDATE
        f GET_BIT
        f GET_BYTE
        f GET_FORMAT
        f GET_LOCK
        T GO
        T GOTO
        k GRANT
        f GREATEST
        n GROUP
        B GROUP BY
        f GROUPING
        f GROUPING_ID
        f GROUP_CONCAT
        T HANDLER
        f HASHBYTES
        f HAS_PERMS_BY_NAME
        B HAVING
        f HEX
        k HIGH_PRIORITY
        f HOST_NAME
        f HOUR
        k HOUR_MICROSECOND
        k HOUR_MINUTE
        k HOUR_SECOND
        f IDENTIFY
        f IDENT_CURRENT
        f IDENT_INCR
        f IDENT_SEED
        f IF
        f IF EXISTS
        f IF NOT
        f IF NOT EXISTS
        f IFF
        f IFNULL
        k IGNORE
        f IIF
        k IN
        n IN BOOLEAN
        k IN BOOLEAN MODE
        k INDEX
        f INDEXKEY_PROPERTY
        f INDEXPROPERTY
        f INDEX_COL
        f INET_ATON
        f INET_NTOA
        k INFILE
        f INITCAP
        k INNER
        k INNER JOIN
        k INOUT
        k INSENSITIVE
        E INSERT
        E INSERT DELAYED
        T INSERT DELAYED INTO
        E INSERT HIGH_PRIORITY
        T INSERT HIGH_PRIORITY INTO
        E INSERT IGNORE
        T INSERT IGNORE INTO
        T INSERT INTO
        E INSERT LOW_PRIORITY
        T INSERT LOW_PRIORITY INTO
        f INSTR
        f INSTRREV
        t INT
        t INT1
        t INT2
        t INT3
        t INT4
        t INT8
        t INTEGER
        U INTERSECT
        U INTERSECT ALL
        k INTERVAL
        k INTO
        k INTO DUMPFILE
        k INTO OUTFILE
        o IS
        n IS DISTINCT
        o IS DISTINCT FROM
        o IS NOT
        n IS NOT DISTINCT
        o IS NOT DISTINCT FROM
        f ISDATE
        f ISEMPTY
        f ISFINITE
        f ISNULL
        f ISNUMERIC
        f IS_FREE_LOCK
        f IS_MEMBER
        f IS_OBJECTSIGNED
        f IS_ROLEMEMBER
        f IS_SRVROLEMEMBER
        f IS_USED_LOCK
        k ITERATE
        k JOIN
        f JSON_KEYS
        f JULIANDAY
        f JUSTIFY_DAYS
        f JUSTIFY_HOURS
        f JUSTIFY_INTERVAL
        k KEYS
        f KEY_GUID
        f KEY_ID
        k KILL
        f LAG
        f LASTVAL
        f LAST_INSERT_ID
        f LAST_INSERT_ROWID
        f LAST_VALUE
        f LCASE
        f LEAD
        k LEADING
        f LEAST
        k LEAVE
        f LEFT
        k LEFT JOIN
        k LEFT OUTER
        k LEFT OUTER JOIN
        f LENGTH
        o LIKE
        B LIMIT
        k LINEAR
        k LINES
        f LN
        k LOAD
        T LOAD DATA
        T LOAD XML
        f LOAD_EXTENSION
        f LOAD_FILE
        v LOCALTIME
        v LOCALTIMESTAMP
        f LOCATE
        n LOCK
        n LOCK IN
        n LOCK IN SHARE
        k LOCK IN SHARE MODE
        k LOCK TABLE
        k LOCK TABLES
        f LOG
        f LOG10
        f LOG2
        k LONGBLOB
        k LONGTEXT
        k LOOP
        f LOWER
        f LOWER_INC
        f LOWER_INF
        k LOW_PRIORITY
        f LPAD
        f LTRIM
        f MAKEDATE
        f MAKE_SET
        f MASKLEN
        k MASTER_BIND
        f MASTER_POS_WAIT
        k MASTER_SSL_VERIFY_SERVER_CERT
        k MATCH
        f MAX
        k MAXVALUE
        f MD5
        k MEDIUMBLOB
        k MEDIUMINT
        k MEDIUMTEXT
        k MERGE
        f MICROSECOND
        f MID
        k MIDDLEINT
        f MIN
        f MINUTE
        k MINUTE_MICROSECOND
        k MINUTE_SECOND
        f MKDIR
        o MOD
        n MODE
        k MODIFIES
        t MONEY
        f MONTH
        f MONTHNAME
        f NAME_CONST
        n NATURAL
        k NATURAL FULL
        k NATURAL FULL OUTER JOIN
        k NATURAL INNER
        k NATURAL JOIN
        k NATURAL LEFT
        k NATURAL LEFT OUTER
        k NATURAL LEFT OUTER JOIN
        k NATURAL OUTER
        k NATURAL RIGHT
        k NATURAL RIGHT OUTER JOIN
        f NETMASK
        n NEXT VALUE
        k NEXT VALUE FOR
        f NEXTVAL
        o NOT
        o NOT BETWEEN
        k NOT IN
        o NOT LIKE
        o NOT REGEXP
        o NOT RLIKE
        o NOT SIMILAR
        o NOT SIMILAR TO
        k NOTNULL
        f NOW
        k NOWAIT
        k NO_WRITE_TO_BINLOG
        f NTH_VALUE
        f NTILE
        v NULL
        f NULLIF
        t NUMERIC
        f NZ
        f OBJECTPROPERTY
        f OBJECTPROPERTYEX
        f OBJECT_DEFINITION
        f OBJECT_ID
        f OBJECT_NAME
        f OBJECT_SCHEMA_NAME
        f OCT
        f OCTET_LENGTH
        k OFFSET
        t OID
        f OLD_PASSWORD
        k ONE_SHOT
        k OPEN
        f OPENDATASOURCE
        f OPENQUERY
        f OPENROWSET
        f OPENXML
        k OPTIMIZE
        k OPTION
        k OPTIONALLY
        & OR
        f ORD
        n ORDER
        B ORDER BY
        f ORIGINAL_DB_NAME
        f ORIGINAL_LOGIN
        n OUT
        n OUTER
        k OUTFILE
        f OVERLAPS
        f OVERLAY
        k OWN3D
        B OWN3D BY
        f PARSENAME
        k PARTITION
        B PARTITION BY
        n PASSWORD
        f PATHINDEX
        f PATINDEX
        f PERCENTILE_COUNT
        f PERCENTILE_DISC
        f PERCENTILE_RANK
        f PERCENT_RANK
        f PERIOD_ADD
        f PERIOD_DIFF
        f PERMISSIONS
        f PG_ADVISORY_LOCK
        f PG_BACKEND_PID
        f PG_CANCEL_BACKEND
        f PG_CLIENT_ENCODING
        f PG_CONF_LOAD_TIME
        f PG_CREATE_RESTORE_POINT
        f PG_HAS_ROLE
        f PG_IS_IN_RECOVERY
        f PG_IS_OTHER_TEMP_SCHEMA
        f PG_LISTENING_CHANNELS
        f PG_LS_DIR
        f PG_MY_TEMP_SCHEMA
        f PG_POSTMASTER_START_TIME
        f PG_READ_BINARY_FILE
        f PG_READ_FILE
        f PG_RELOAD_CONF
        f PG_ROTATE_LOGFILE
        f PG_SLEEP
        f PG_START_BACKUP
        f PG_STAT_FILE
        f PG_STOP_BACKUP
        f PG_SWITCH_XLOG
        f PG_TERMINATE_BACKEND
        f PG_TRIGGER_DEPTH
        f PI
        f POSITION
        f POW
        f POWER
        k PRECISION
        n PREVIOUS VALUE
        k PREVIOUS VALUE FOR
        k PRIMARY
        T PRINT
        k PROCEDURE
        f PROCEDURE ANALYSE
        f PUBLISHINGSERVERNAME
        k PURGE
        f PWDCOMPARE
        f PWDENCRYPT
        f QUARTER
        f QUOTE
        f QUOTENAME
        f QUOTE_IDENT
        f QUOTE_LITERAL
        f QUOTE_NULLABLE
        f RADIANS
        E RAISEERROR
        f RAND
        f RANDOM
        f RANDOMBLOB
        k RANGE
        f RANK
        k READ
        k READ WRITE
        k READS
        k READ_WRITE
        t REAL
        k REFERENCES
        t REGCLASS
        t REGCONFIG
        t REGDICTIONARY
        o REGEXP
        f REGEXP_INSTR
        f REGEXP_MATCHES
        f REGEXP_REPLACE
        f REGEXP_SPLIT_TO_ARRAY
        f REGEXP_SPLIT_TO_TABLE
        f REGEXP_SUBSTR
        t REGOPER
        t REGOPERATOR
        t REGPROC
        t REGPROCEDURE
        t REGTYPE
        k RELEASE
        f RELEASE_LOCK
        k RENAME
        k REPEAT
        k REPLACE
        f REPLICATE
        k REQUIRE
        k RESIGNAL
        k RESTRICT
        k RETURN
        f REVERSE
        k REVOKE
        n RIGHT
        k RIGHT JOIN
        k RIGHT OUTER
        k RIGHT OUTER JOIN
        o RLIKE
        f ROUND
        f ROW
        f ROW_COUNT
        f ROW_NUMBER
        f ROW_TO_JSON
        f RPAD
        f RTRIM
        f SCHAMA_NAME
        k SCHEMA
        k SCHEMAS
        f SCHEMA_ID
        f SCOPE_IDENTITY
        k SECOND_MICROSECOND
        f SEC_TO_TIME
        E SELECT
        E SELECT ALL
        E SELECT DISTINCT
        k SENSITIVE
        k SEPARATOR
        t SERIAL
        t SERIAL2
        t SERIAL4
        t SERIAL8
        f SERVERPROPERTY
        f SESSION_USER
        E SET
        f SETATTR
        f SETSEED
        f SETVAL
        f SET_BIT
        f SET_BYTE
        f SET_CONFIG
        f SET_MASKLEN
        f SHA
        f SHA1
        f SHA2
        n SHOW
        T SHUTDOWN
        f SIGN
        k SIGNAL
        f SIGNBYASMKEY
        f SIGNBYCERT
        k SIMILAR
        o SIMILAR TO
        f SIN
        f SLEEP
        f SMALLDATETIMEFROMPARTS
        t SMALLINT
        t SMALLSERIAL
        f SOME
        f SOUNDEX
        o SOUNDS
        o SOUNDS LIKE
        f SPACE
        k SPATIAL
        k SPECIFIC
        f SPLIT_PART
        k SQL
        k SQLEXCEPTION
        f SQLITE_VERSION
        k SQLSTATE
        k SQLWARNING
        k SQL_BIG_RESULT
        k SQL_BUFFER_RESULT
        k SQL_CACHE
        k SQL_CALC_FOUND_ROWS
        k SQL_NO_CACHE
        k SQL_SMALL_RESULT
        f SQL_VARIANT_PROPERTY
        f SQRT
        k SSL
        k STARTING
        f STATEMENT_TIMESTAMP
        f STATS_DATE
        f STDDEV
        f STDDEV_POP
        f STDDEV_SAMP
        k STRAIGHT_JOIN
        f STRCMP
        f STRCOMP
        f STRCONV
        f STRING_AGG
        f STRING_TO_ARRAY
        f STRPOS
        f STR_TO_DATE
        f STUFF
        f SUBDATE
        f SUBSTR
        f SUBSTRING
        f SUBSTRING_INDEX
        f SUBTIME
        f SUM
        f SUSER_ID
        f SUSER_NAME
        f SUSER_SID
        f SUSER_SNAME
        f SWITCHOFFET
        n SYS.DATABASE_NAME
        f SYS.FN_BUILTIN_PERMISSIONS
        f SYS.FN_GET_AUDIT_FILE
        f SYS.FN_MY_PERMISSIONS
        f SYS.STRAGG
        k SYSCOLUMNS
        f SYSDATE
        f SYSDATETIME
        f SYSDATETIMEOFFSET
        k SYSOBJECTS
        f SYSTEM_USER
        k SYSUSERS
        f SYSUTCDATETME
        n TABLE
        f TAN
        k TERMINATED
        f TERTIARY_WEIGHTS
        t TEXT
        f TEXTPOS
        f TEXTPTR
        f TEXTVALID
        k THEN
        k TIME
        f TIMEDIFF
        f TIMEFROMPARTS
        f TIMEOFDAY
        f TIMESERIAL
        t TIMESTAMP
        f TIMESTAMPADD
        f TIMEVALUE
        f TIME_FORMAT
        f TIME_TO_SEC
        k TINYBLOB
        k TINYINT
        k TINYTEXT
        f TODATETIMEOFFSET
        k TOP
        f TOTAL
        f TOTAL_CHANGES
        f TO_ASCII
        f TO_BASE64
        f TO_CHAR
        f TO_DATE
        f TO_DAYS
        f TO_HEX
        f TO_NUMBER
        f TO_SECONDS
        f TO_TIMESTAMP
        n TRAILING
        f TRANSACTION_TIMESTAMP
        f TRANSLATE
        k TRIGGER
        f TRIGGER_NESTLEVEL
        f TRIM
        1 TRUE
        f TRUNC
        f TRUNCATE
        T TRY
        f TRY_CAST
        f TRY_CONVERT
        f TRY_PARSE
        f TYPEOF
        f TYPEPROPERTY
        f TYPE_ID
        f TYPE_NAME
        f UCASE
        o UESCAPE
        f UNCOMPRESS
        f UNCOMPRESS_LENGTH
        k UNDO
        f UNHEX
        f UNICODE
        U UNION
        U UNION ALL
        U UNION ALL DISTINCT
        U UNION DISTINCT
        U UNION DISTINCT ALL
        n UNIQUE
        f UNIX_TIMESTAMP
        U UNI_ON
        v UNKNOWN
        k UNLOCK
        f UNNEST
        k UNSIGNED
        E UPDATE
        f UPDATEXML
        f UPPER
        f UPPER_INC
        f UPPER_INF
        k USAGE
        T USE
        n USER
        n USER_ID
        f USER_LOCK.SLEEP
        n USER_NAME
        f USING
        k UTC_DATE
        k UTC_TIME
        k UTC_TIMESTAMP
        f UTL_HTTP.REQUEST
        f UTL_INADDR.GET_HOST_ADDRESS
        f UTL_INADDR.GET_HOST_NAME
        f UUID
        f UUID_SHORT
        k VALUES
        f VAR
        k VARBINARY
        t VARCHAR
        k VARCHARACTER
        f VARIANCE
        f VARP
        k VARYING
        f VAR_POP
        f VAR_SAMP
        f VERIFYSIGNEDBYASMKEY
        f VERIFYSIGNEDBYCERT
        f VERSION
        t VOID
        k WAIT
        n WAITFOR
        E WAITFOR DELAY
        E WAITFOR RECEIVE
        E WAITFOR TIME
        f WEEK
        f WEEKDAY
        f WEEKDAYNAME
        f WEEKOFYEAR
        k WHEN
        k WHERE
        T WHILE
        f WIDTH_BUCKET
        n WITH
        k WITH ROLLUP
        f XMLAGG
        f XMLCOMMENT
        f XMLCONCAT
        f XMLELEMENT
        f XMLEXISTS
        f XMLFOREST
        f XMLFORMAT
        f XMLPI
        f XMLROOT
        f XMLTYPE
        f XML_IS_WELL_FORMED
        & XOR
        f XPATH
        f XPATH_EXISTS
        k XP_EXECRESULTSET
        f YEAR
        f YEARWEEK
        k YEAR_MONTH
        f ZEROBLOB
        k ZEROFILL
        o ^=
        t _ARMSCII8
        t _ASCII
        t _BIG5
        t _BINARY
        t _CP1250
        t _CP1251
        t _CP1257
        t _CP850
        t _CP852
        t _CP866
        t _CP932
        t _DEC8
        t _EUCJPMS
        t _EUCKR
        t _GB2312
        t _GBK
        t _GEOSTD8
        t _GREEK
        t _HEBREW
        t _HP8
        t _KEYBCS2
        t _KOI8R
        t _KOI8U
        t _LATIN1
        t _LATIN2
        t _LATIN5
        t _LATIN7
        t _MACCE
        t _MACROMAN
        t _SJIS
        t _SWE7
        t _TIS620
        t _UJIS
        t _USC2
        t _UTF8
        o |/
        o |=
        & ||
        o ~*
        """;
}
