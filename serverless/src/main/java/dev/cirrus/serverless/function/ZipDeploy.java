package dev.cirrus.serverless.function;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cirrus.serverless.functionapp.FunctionApp;
import dev.cirrus.serverless.functionapp.FunctionApps;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Zip deploy of a whole app, behind both the ARM-shaped and the Kudu-shaped endpoint: the package replaces
 * host.json and all the app's functions at once (like Azure's zip deploy replaces wwwroot), in one transaction; a
 * function kept by name keeps its key. A bad package changes nothing.
 */
@Service
public class ZipDeploy {

    private final FunctionApps apps;
    private final FunctionRepository functions;
    private final ObjectMapper json;

    ZipDeploy(FunctionApps apps, FunctionRepository functions, ObjectMapper json) {
        this.apps = apps;
        this.functions = functions;
        this.json = json;
    }

    @Transactional
    public Map<String, Object> deploy(FunctionApp app, byte[] zip) {
        ZipPackage pkg = ZipPackage.read(zip, json);
        List<FunctionDefinition> deployed = new ArrayList<>();
        for (ZipPackage.Function function : pkg.functions()) {
            Map<String, String> keys = functions.find(app.key(), function.name()).map(FunctionDefinition::keys)
                    .orElseGet(() -> Map.of("default", FunctionApps.newKey()));
            deployed.add(new FunctionDefinition(app.key(), function.name(), function.config(), function.files(), keys));
        }
        apps.replaceHostJson(app, pkg.hostJson());
        functions.deleteAll(app.key());
        deployed.forEach(functions::save);
        apps.changed(app.name());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", "Succeeded");
        result.put("functions", deployed.stream().map(FunctionDefinition::name).toList());
        return result;
    }
}
