// job-queue.jsh: Modal's job-queue example as a Ferry app file (the format: docs/apps.md, "The .jsh app file").
// process_job runs on the Ferry server; POST /submit-job spawns it and answers its call id at once;
// GET /job-status/{call_id} answers 202 while it runs, 200 with its result when done, 404 for an unknown id.
//
//   ferry deploy notebooks/job-queue.jsh        # prints the app id and the endpoint URLs
//   curl -s -X POST http://127.0.0.1:7471/job-queue/submit-job -H 'Content-Type: application/json' -d '{"n": 30}'
//   # {"call_id":"fc-01..."}
//   curl -s -i http://127.0.0.1:7471/job-queue/job-status/fc-01...
//   # 202 {"call_id":"fc-01...","status":"running"}  ... then 200 {"n":30,"fib":832040}
//%% the job: stands for real work (a model, a report); here a slow Fibonacci of data.n
%%function timeout=600
Map<String, Object> process_job(Map<String, Object> data) {
    Object given = data.getOrDefault("n", 30);
    if (!(given instanceof Number number) || number.intValue() < 0 || number.intValue() > 45) {
        throw new IllegalArgumentException("n must be a number between 0 and 45, was " + given);
    }
    int n = number.intValue();
    java.util.function.IntToLongFunction[] fib = new java.util.function.IntToLongFunction[1];
    fib[0] = k -> k < 2 ? k : fib[0].applyAsLong(k - 1) + fib[0].applyAsLong(k - 2);
    return Map.of("n", n, "fib", fib[0].applyAsLong(n));
}
//%% POST /submit-job: the JSON body is the job's data (one Map parameter takes the whole body)
%%function web="POST /submit-job"
Map<String, String> submit_job(Map<String, Object> data) {
    FunctionCall<Object> call = Function.fromName("job-queue", "process_job").spawn(data);
    return Map.of("call_id", call.id());
}
//%% GET /job-status/{call_id}: 202 while the job runs, 200 with its result, 404 for an unknown or expired id
%%function web="GET /job-status/{call_id}"
WebResponse job_status(String call_id) {
    try {
        return WebResponse.ok(FunctionCall.fromId(call_id).get(Duration.ZERO));
    } catch (java.util.concurrent.TimeoutException running) {
        return WebResponse.of(202, Map.of("call_id", call_id, "status", "running"));
    } catch (NotFoundException | InvalidArgumentException unknown) {
        return WebResponse.of(404, Map.of("error", unknown.getMessage()));
    }
}
//%%
%deploy job-queue
