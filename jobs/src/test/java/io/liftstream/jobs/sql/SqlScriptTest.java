package io.liftstream.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class SqlScriptTest {

    @Test
    void splitsOnSemicolonsOutsideLiteralsIdentifiersAndComments() {
        List<SqlScript.Statement> s = SqlScript.split("""
                -- header; with a semicolon
                CREATE TABLE t (a STRING);   /* trailing; comment */

                INSERT INTO t VALUES ('it''s; fine'), ('`;`');
                SELECT `we;ird` -- inline; comment
                FROM t
                ;
                  SELECT 1""");
        assertThat(s).extracting(SqlScript.Statement::sql).containsExactly(
                "CREATE TABLE t (a STRING)",
                "INSERT INTO t VALUES ('it''s; fine'), ('`;`')",
                "SELECT `we;ird` -- inline; comment\nFROM t",
                "SELECT 1");
        assertThat(s).extracting(SqlScript.Statement::line).containsExactly(2, 4, 5, 8);
        assertThat(s.get(3).column()).isEqualTo(3);
        assertThat(s.get(1).keyword()).isEqualTo("INSERT");
    }

    @Test
    void aStatementSetIsOneStatement() {
        List<SqlScript.Statement> s = SqlScript.split("""
                EXECUTE STATEMENT SET
                BEGIN
                  INSERT INTO a SELECT * FROM x;
                  INSERT INTO b SELECT * FROM x;
                END;
                SELECT 2;""");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).sql()).startsWith("EXECUTE STATEMENT SET").endsWith("END")
                .contains("INSERT INTO a SELECT * FROM x;");
        assertThat(s.get(1).line()).isEqualTo(6);
    }

    @Test
    void substitutesVariablesAndNamesTheLineOfAnUndefinedOne() {
        SqlScript.Statement s = SqlScript.split("\n\nSELECT '${who}', ${n:-3},\n ${missing}").get(0);
        assertThat(SqlScript.substitute(s, Map.of("who", "me", "missing", "7")).sql()).isEqualTo("SELECT 'me', 3,\n 7");
        assertThatThrownBy(() -> SqlScript.substitute(s, Map.of("who", "me")))
                .isInstanceOfSatisfying(SqlScript.ScriptException.class, e -> assertThat(e.line).isEqualTo(4))
                .hasMessageContaining("undefined variable ${missing}");
    }
    /** The injection: inside a literal the value's quotes are doubled, so it stays one string. */
    @Test
    void aValueInsideQuotesIsTextWithItsQuotesDoubled() {
        SqlScript.Statement s = SqlScript.split("DELETE FROM t WHERE id = '${id}' AND `${col}` = \"${q}\"").get(0);
        assertThat(SqlScript.substitute(s, Map.of("id", "nope' OR '1'='1", "col", "a`b", "q", "say \"hi\"")).sql())
                .isEqualTo("DELETE FROM t WHERE id = 'nope'' OR ''1''=''1' AND `a``b` = \"say \"\"hi\"\"\"");
        // A literal that already holds doubled quotes, then a variable after it.
        SqlScript.Statement t = SqlScript.split("SELECT 'it''s ${x}', '${x}'").get(0);
        assertThat(SqlScript.substitute(t, Map.of("x", "'")).sql()).isEqualTo("SELECT 'it''s ''', ''''");
    }

    @Test
    void aValueOutsideQuotesMustBeOneLiteral() {
        SqlScript.Statement s = SqlScript.split("\nSELECT ${v} AS x").get(0);
        for (String ok : new String[] {"42", "-1.5e3", "'it''s'", "TIMESTAMP '2026-11-20 00:00:00'", "timestamp_ltz '2026-11-20 00:00:00'",
                "DATE '2026-11-20'", "INTERVAL '10' MINUTE", "INTERVAL '1 02' DAY TO HOUR", "NULL", "true", "CURRENT_TIMESTAMP"}) {
            assertThat(SqlScript.substitute(s, Map.of("v", ok)).sql()).isEqualTo("SELECT " + ok + " AS x");
        }
        for (String bad : new String[] {"1 OR 1=1", "x", "'a' OR 'b'", "TIMESTAMP '2026' + INTERVAL '1' DAY", "1; DROP TABLE t",
                "'unclosed", "1 --", "CURRENT_TIMESTAMP)"}) {
            assertThatThrownBy(() -> SqlScript.substitute(s, Map.of("v", bad)))
                    .isInstanceOfSatisfying(SqlScript.ScriptException.class, e -> assertThat(e.line).isEqualTo(2))
                    .hasMessageStartingWith("--set v: ${v} stands outside quotes, where a value must be one SQL literal")
                    .hasMessageNotContaining("\n");
        }
        // The script's own default is SQL and goes in as written.
        SqlScript.Statement d = SqlScript.split("SELECT ${at:-CURRENT_TIMESTAMP + INTERVAL '1' DAY}").get(0);
        assertThat(SqlScript.substitute(d, Map.of()).sql()).isEqualTo("SELECT CURRENT_TIMESTAMP + INTERVAL '1' DAY");
    }

    /** A line break in a value must not end a comment and turn the rest of the value into code. */
    @Test
    void variablesInCommentsAreLeftAlone() {
        SqlScript.Statement s = SqlScript.split("SELECT 1 -- for ${who}\n, '${who}' /* ${who} */").get(0);
        assertThat(SqlScript.substitute(s, Map.of("who", "x\nOR 1=1")).sql())
                .isEqualTo("SELECT 1 -- for ${who}\n, 'x\nOR 1=1' /* ${who} */");
    }
}
