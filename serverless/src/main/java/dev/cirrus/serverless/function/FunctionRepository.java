package dev.cirrus.serverless.function;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

@Repository
public class FunctionRepository {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    FunctionRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public List<FunctionDefinition> list(String appKey) {
        return jdbc.query("select * from functions where app_id = ? order by name_key", this::map, appKey);
    }

    public List<FunctionDefinition> all() {
        return jdbc.query("select f.* from functions f join function_apps a on a.id = f.app_id where a.state = 'Running'", this::map);
    }

    public Optional<FunctionDefinition> find(String appKey, String name) {
        return jdbc.query("select * from functions where app_id = ? and name_key = ?", this::map, appKey,
                name.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /** Inserts or replaces the function's config and files; an existing function keeps its keys. */
    public void save(FunctionDefinition function) {
        jdbc.update("insert into functions(app_id, name_key, name, config, files, keys) values (?,?,?,?::jsonb,?::jsonb,?::jsonb)"
                        + " on conflict (app_id, name_key) do update set config = excluded.config, files = excluded.files",
                function.appKey(), function.name().toLowerCase(Locale.ROOT), function.name(),
                json.writeValueAsString(function.config().raw()), json.writeValueAsString(function.files()),
                json.writeValueAsString(function.keys()));
    }

    public void saveKeys(FunctionDefinition function) {
        jdbc.update("update functions set keys = ?::jsonb where app_id = ? and name_key = ?",
                json.writeValueAsString(function.keys()), function.appKey(), function.name().toLowerCase(Locale.ROOT));
    }

    public boolean delete(String appKey, String name) {
        return jdbc.update("delete from functions where app_id = ? and name_key = ?", appKey, name.toLowerCase(Locale.ROOT)) > 0;
    }

    public void deleteAll(String appKey) {
        jdbc.update("delete from functions where app_id = ?", appKey);
    }

    private FunctionDefinition map(ResultSet rs, int row) throws SQLException {
        Map<String, String> files = json.readValue(rs.getString("files"), new TypeReference<LinkedHashMap<String, String>>() { });
        return new FunctionDefinition(rs.getString("app_id"), rs.getString("name"),
                FunctionConfig.parse(json.readTree(rs.getString("config"))), files,
                json.readValue(rs.getString("keys"), new TypeReference<LinkedHashMap<String, String>>() { }));
    }
}
