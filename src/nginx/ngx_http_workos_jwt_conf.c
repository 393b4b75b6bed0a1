
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Directive parsers shared by several directives, and those of the
 * handlers.
 */


#include "ngx_http_workos_jwt_module.h"


/* ngx_conf_set_enum_slot() with the directive named in the error */

char *
ngx_http_workos_jwt_enum(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    u_char           *p, *last;
    ngx_str_t        *value;
    ngx_conf_enum_t  *e;
    u_char            expected[128];

    value = cf->args->elts;

    for (e = cmd->post; e->name.len; e++) {
        if (e->name.len == value[1].len
            && ngx_strcasecmp(e->name.data, value[1].data) == 0)
        {
            return ngx_conf_set_enum_slot(cf, cmd, conf);
        }
    }

    /* "on", "off" or "optional" */

    p = expected;
    last = expected + sizeof(expected) - 1;

    for (e = cmd->post; e->name.len; e++) {
        if (e != cmd->post) {
            p = ngx_slprintf(p, last, (e + 1)->name.len ? ", " : " or ");
        }

        p = ngx_slprintf(p, last, "\"%V\"", &e->name);
    }

    *p = '\0';

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid value \"%V\" in \"%V\" directive, it must be "
                       "%s", &value[1], &cmd->name, expected);

    return NGX_CONF_ERROR;
}


char *
ngx_http_workos_jwt_str_list(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char  *p = conf;

    ngx_str_t     *value, *s;
    ngx_uint_t     i;
    ngx_array_t  **a;

    a = (ngx_array_t **) (p + cmd->offset);

    if (*a == NGX_CONF_UNSET_PTR) {
        *a = ngx_array_create(cf->pool, 4, sizeof(ngx_str_t));
        if (*a == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {
        if (value[i].len == 0) {
            return "has an empty value";
        }

        s = ngx_array_push(*a);
        if (s == NULL) {
            return NGX_CONF_ERROR;
        }

        *s = value[i];
    }

    return NGX_CONF_OK;
}


char *
ngx_http_workos_jwt_algorithms(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    int          alg;
    ngx_str_t   *value;
    ngx_uint_t   i;

    if (jlcf->algorithms != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    jlcf->algorithms = 0;
    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {
        alg = wjwt_alg_from_name(value[i].data, value[i].len);

        if (alg == WJWT_ALG_UNKNOWN) {
            if ((value[i].len == 4
                 && ngx_strncasecmp(value[i].data, (u_char *) "none", 4) == 0)
                || (value[i].len >= 2
                    && ngx_strncasecmp(value[i].data, (u_char *) "HS", 2)
                       == 0))
            {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "\"workos_jwt_algorithms\": algorithm "
                                   "\"%V\" is never accepted", &value[i]);
                return NGX_CONF_ERROR;
            }

            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"workos_jwt_algorithms\": unknown algorithm "
                               "\"%V\"", &value[i]);
            return NGX_CONF_ERROR;
        }

        jlcf->algorithms |= WJWT_ALG_BIT(alg);
    }

    return NGX_CONF_OK;
}


char *
ngx_http_workos_jwt_max_auth_age(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t  *value;

    if (jlcf->max_auth_age != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        jlcf->max_auth_age = -1;
        return NGX_CONF_OK;
    }

    jlcf->max_auth_age = ngx_parse_time(&value[1], 1);

    if (jlcf->max_auth_age == (time_t) NGX_ERROR || jlcf->max_auth_age <= 0) {
        return "has an invalid time value";
    }

    return NGX_CONF_OK;
}


char *
ngx_http_workos_jwt_require_list(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    u_char     *p, *last;
    ngx_str_t  *value;
    ngx_uint_t  i, empty;

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {

        /* "a|b" alternatives: none of them may be empty */

        empty = (value[i].len == 0);
        p = value[i].data;
        last = p + value[i].len;

        while (!empty && p < last) {
            if (*p == '|' && (p == value[i].data || p + 1 == last
                              || p[1] == '|'))
            {
                empty = 1;
            }

            p++;
        }

        if (empty) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid value \"%V\" in \"%V\" directive",
                               &value[i], &cmd->name);
            return NGX_CONF_ERROR;
        }
    }

    jlcf->require_set = 1;

    return ngx_http_workos_jwt_str_list(cf, cmd, conf);
}


char *
ngx_http_workos_jwt_require(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t                         *value;
    ngx_uint_t                         i, n, status;
    ngx_http_workos_jwt_rule_t        *rule;
    ngx_http_compile_complex_value_t   ccv;

    value = cf->args->elts;
    n = cf->args->nelts;
    status = NGX_HTTP_FORBIDDEN;

    if (ngx_strncmp(value[n - 1].data, "error=", 6) == 0) {
        if (ngx_strcmp(value[n - 1].data, "error=401") == 0) {
            status = NGX_HTTP_UNAUTHORIZED;

        } else if (ngx_strcmp(value[n - 1].data, "error=403") != 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid value \"%V\" in "
                               "\"workos_jwt_require\" directive, "
                               "\"error=401\" or \"error=403\" expected",
                               &value[n - 1]);
            return NGX_CONF_ERROR;
        }

        n--;

        if (n < 2) {
            return "needs at least one value";
        }
    }

    if (jlcf->rules == NGX_CONF_UNSET_PTR) {
        jlcf->rules = ngx_array_create(cf->pool, 2,
                                       sizeof(ngx_http_workos_jwt_rule_t));
        if (jlcf->rules == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    for (i = 1; i < n; i++) {
        rule = ngx_array_push(jlcf->rules);
        if (rule == NULL) {
            return NGX_CONF_ERROR;
        }

        rule->status = status;

        ngx_memzero(&ccv, sizeof(ngx_http_compile_complex_value_t));

        ccv.cf = cf;
        ccv.value = &value[i];
        ccv.complex_value = &rule->value;

        if (ngx_http_compile_complex_value(&ccv) != NGX_OK) {
            return NGX_CONF_ERROR;
        }
    }

    jlcf->require_set = 1;

    return NGX_CONF_OK;
}


char *
ngx_http_workos_jwt_lint_codes(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    int          code;
    ngx_str_t   *value;
    ngx_uint_t   i, *mask;

    mask = (ngx_uint_t *) ((char *) conf + cmd->offset);
    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {
        code = wjwt_lint_from_name(value[i].data, value[i].len);

        if (code < 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "unknown lint code \"%V\" in \"%V\" directive",
                               &value[i], &cmd->name);
            return NGX_CONF_ERROR;
        }

        *mask |= WJWT_LINT_BIT(code);
    }

    if (cmd->offset == offsetof(ngx_http_workos_jwt_loc_conf_t, lint_reject))
    {
        jlcf->lint_reject_set = 1;

    } else {
        jlcf->lint_ignore_set = 1;
    }

    return NGX_CONF_OK;
}


char *
ngx_http_workos_jwt_check_time(ngx_conf_t *cf, void *post, void *data)
{
    time_t  *t = data;

    if (*t <= 0) {
        return "must be at least 1s";
    }

    return NGX_CONF_OK;
}


char *
ngx_http_workos_jwt_check_size(ngx_conf_t *cf, void *post, void *data)
{
    size_t  *sp = data;

    if (*sp == 0) {
        return "must not be zero";
    }

    return NGX_CONF_OK;
}


char *
ngx_http_workos_jwt_status(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t                 *value;
    ngx_http_core_loc_conf_t  *clcf;

    if (jlcf->status_format) {
        return "is duplicate";
    }

    value = cf->args->elts;
    jlcf->status_format = NGX_HTTP_WORKOS_JWT_STATUS_JSON;

    if (cf->args->nelts == 2) {
        if (ngx_strcmp(value[1].data, "prometheus") == 0) {
            jlcf->status_format = NGX_HTTP_WORKOS_JWT_STATUS_PROM;

        } else if (ngx_strcmp(value[1].data, "json") != 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid value \"%V\" in "
                               "\"workos_jwt_status\" directive, \"json\" or "
                               "\"prometheus\" is expected", &value[1]);
            return NGX_CONF_ERROR;
        }
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_workos_jwt_status_handler;

    return NGX_CONF_OK;
}


char *
ngx_http_workos_jwt_inspect(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_http_core_loc_conf_t  *clcf;

    if (jlcf->inspect) {
        return "is duplicate";
    }

    jlcf->inspect = 1;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_workos_jwt_inspect_handler;

    return NGX_CONF_OK;
}


char *
ngx_http_workos_jwt_cache_conf(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_int_t                         n;
    ngx_str_t                        *value;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    if (jlcf->cache != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        jlcf->cache = 0;
        return NGX_CONF_OK;
    }

    jlcf->cache = 1;

    if (ngx_strcmp(value[1].data, "on") == 0) {
        return NGX_CONF_OK;
    }

    if (!(cf->cmd_type & NGX_HTTP_MAIN_CONF)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"workos_jwt_cache\" with a number of entries "
                           "sets the limit of the whole zone: it is allowed "
                           "at the http level only; \"on\" and \"off\" "
                           "are allowed everywhere");
        return NGX_CONF_ERROR;
    }

    n = ngx_atoi(value[1].data, value[1].len);

    if (n == NGX_ERROR || n == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\" in \"workos_jwt_cache\" "
                           "directive, a number of entries, \"on\" or "
                           "\"off\" is expected", &value[1]);
        return NGX_CONF_ERROR;
    }

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);
    jmcf->cache_max = n;

    return NGX_CONF_OK;
}


/*
 * A small file named by a directive, read whole at configuration time
 * into pool.  The name becomes the full one; NULL on error, logged with
 * the directive and the file.
 */

u_char *
ngx_http_workos_jwt_conf_file(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_pool_t *pool, ngx_str_t *file, size_t max, size_t *len,
    ngx_file_info_t *fi)
{
    u_char    *buf;
    ssize_t    n;
    ngx_fd_t   fd;

    if (ngx_conf_full_name(cf->cycle, file, 1) != NGX_OK) {
        return NULL;
    }

    fd = ngx_open_file(file->data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "\"%V\" cannot open \"%s\"", &cmd->name,
                           file->data);
        return NULL;
    }

    buf = NULL;

    if (ngx_fd_info(fd, fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "\"%V\" cannot stat \"%s\"", &cmd->name,
                           file->data);
        goto done;
    }

    n = ngx_file_size(fi);

    if (n <= 0 || (size_t) n > max) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "\"%V\" \"%s\" is %s",
                           &cmd->name, file->data,
                           n <= 0 ? "empty" : "too big");
        goto done;
    }

    buf = ngx_pnalloc(pool, n);
    if (buf == NULL) {
        goto done;
    }

    if (ngx_read_fd(fd, buf, n) != n) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "\"%V\" cannot read \"%s\"", &cmd->name,
                           file->data);
        ngx_explicit_memzero(buf, n);
        buf = NULL;
        goto done;
    }

    *len = n;

done:

    ngx_close_file(fd);

    return buf;
}


/*
 * The "name=time" parameters of a directive from argument "from" on:
 * names[i] sets *times[i], 1s or more.
 */

char *
ngx_http_workos_jwt_conf_times(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_uint_t from, ngx_str_t *names, time_t **times, ngx_uint_t n)
{
    ngx_str_t   *value, s;
    ngx_uint_t   i, k;

    value = cf->args->elts;

    for (i = from; i < cf->args->nelts; i++) {

        for (k = 0; k < n; k++) {
            if (value[i].len > names[k].len
                && ngx_strncmp(value[i].data, names[k].data, names[k].len)
                   == 0)
            {
                break;
            }
        }

        if (k == n) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid parameter \"%V\" in \"%V\" "
                               "directive", &value[i], &cmd->name);
            return NGX_CONF_ERROR;
        }

        s.data = value[i].data + names[k].len;
        s.len = value[i].len - names[k].len;

        *times[k] = ngx_parse_time(&s, 1);

        if (*times[k] == (time_t) NGX_ERROR || *times[k] < 1) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid time \"%V\" in \"%V\" directive, "
                               "1s or more is expected", &value[i],
                               &cmd->name);
            return NGX_CONF_ERROR;
        }
    }

    return NGX_CONF_OK;
}


/* the URI of an internal location: "/..." */

char *
ngx_http_workos_jwt_conf_uri(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_str_t *uri, const char *example)
{
    if (uri->len == 0 || uri->data[0] != '/'
        || uri->len >= NGX_HTTP_WORKOS_JWT_MAX_URI)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid URI \"%V\" in \"%V\" directive, an "
                           "internal location such as \"%s\" is expected",
                           uri, &cmd->name, example);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}
