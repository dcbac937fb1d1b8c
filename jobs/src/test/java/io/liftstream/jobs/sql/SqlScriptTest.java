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
        assertThat(SqlScript.substitute(s, Map.of("who", "me", "missing", "x")).sql()).isEqualTo("SELECT 'me', 3,\n x");
        assertThatThrownBy(() -> SqlScript.substitute(s, Map.of("who", "me")))
                .isInstanceOfSatisfying(SqlScript.ScriptException.class, e -> assertThat(e.line).isEqualTo(4))
                .hasMessageContaining("undefined variable ${missing}");
    }
}
