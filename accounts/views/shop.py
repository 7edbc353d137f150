from django.views.generic import TemplateView


class AddressListView(TemplateView):
    template_name = "shop/catalog/home.html"


class SellerApplyView(TemplateView):
    template_name = "shop/catalog/home.html"
