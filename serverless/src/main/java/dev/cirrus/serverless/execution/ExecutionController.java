package dev.cirrus.serverless.execution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.contracts.arm.PageRequest;
import dev.cirrus.contracts.arm.SkipToken;
import dev.cirrus.plumbing.arm.ArmException;
import dev.cirrus.plumbing.arm.ArmPaging;
import jakarta.servlet.http.HttpServletRequest;
import dev.cirrus.serverless.functionapp.FunctionApp;
import dev.cirrus.serverless.functionapp.FunctionApps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Executions of an app (newest first), optionally of one function: {@code $top} (1-1000, default 100) and a
 * {@code nextLink} carrying {@code $skiptoken} (the shared scheme, {@link ArmPaging}).
 */
@RestController
class ExecutionController {

    static final String SITE = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{app}";

    private final FunctionApps apps;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ExecutionController(FunctionApps apps, JdbcTemplate jdbc, ObjectMapper json) {
        this.apps = apps;
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping({SITE + "/executions", SITE + "/functions/{fn}/executions"})
    Map<String, Object> list(@PathVariable String sub, @PathVariable String rg, @PathVariable String app,
                             @PathVariable(required = false) String fn, @RequestParam("api-version") String apiVersion,
                             HttpServletRequest request) {
        FunctionApp functionApp = apps.get(sub, rg, app);
        Integer requested = PageRequest.top(ArmPaging.parameter(request, PageRequest.TOP));
        if (requested != null && requested > 1000) {
            throw ArmException.invalidParameter("$top must be a number from 1 to 1000", "$top");
        }
        int top = requested == null ? 100 : requested;
        String after = SkipToken.decode(ArmPaging.parameter(request, SkipToken.PARAMETER));
        long before = Long.MAX_VALUE;
        if (after != null) {
            try {
                before = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw ArmException.invalidParameter("The $skiptoken is not valid. Use the nextLink of the previous page "
                        + "as it was returned.", SkipToken.PARAMETER);
            }
        }
        List<Object> args = new ArrayList<>(List.of(functionApp.key(), before));
        String sql = "select * from executions where app_id = ? and seq < ?";
        if (fn != null) {
            sql += " and lower(function_name) = lower(?)";
            args.add(fn);
        }
        sql += " order by seq desc limit ?";
        args.add(top + 1);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        jdbc.query(sql, rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", functionApp.resourceId() + "/functions/" + rs.getString("function_name") + "/executions/" + rs.getString("id"));
            row.put("invocationId", rs.getString("id"));
            row.put("functionName", rs.getString("function_name"));
            row.put("trigger", rs.getString("trigger_type"));
            row.put("startTime", rs.getTimestamp("started_at").toInstant().toString());
            row.put("durationMs", rs.getLong("duration_ms"));
            row.put("memoryMb", rs.getInt("memory_mb"));
            row.put("status", rs.getString("status"));
            row.put("coldStart", rs.getBoolean("cold_start"));
            row.put("error", rs.getString("error"));
            row.put("logs", json.readValue(rs.getString("logs"), new TypeReference<List<String>>() { }));
            rows.add(row);
            seqs.add(rs.getLong("seq"));
        }, args.toArray());
        Map<String, Object> page = new LinkedHashMap<>();
        if (rows.size() > top) {
            rows.remove(rows.size() - 1);
            page.put("nextLink", ArmPaging.nextLink(request, Long.toString(seqs.get(rows.size() - 1))));
        }
        page.put("value", rows);
        return page;
    }
}
